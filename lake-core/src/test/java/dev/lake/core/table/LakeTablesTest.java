package dev.lake.core.table;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LakeTablesTest {
  @Test
  void everyTableHasTheSchemaSpecSortOrderAndEncodingsTheReleaseBeforeRowTypesHad()
      throws IOException {
    String before;
    try (InputStream in = LakeTablesTest.class.getResourceAsStream("/table/schemas.txt")) {
      before = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }

    assertThat(SchemaDump.describe()).isEqualTo(before);
  }
}
