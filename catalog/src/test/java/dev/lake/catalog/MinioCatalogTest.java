package dev.lake.catalog;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import dev.lake.core.read.TableRows;
import dev.lake.core.write.LakeWriter;
import dev.lake.testing.RestCatalogServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The same round trip against MinIO in Docker; skipped where Docker does not run. */
@Testcontainers(disabledWithoutDocker = true)
class MinioCatalogTest {
  @Container
  static final MinIOContainer MINIO =
      new MinIOContainer("minio/minio:RELEASE.2024-12-18T13-15-44Z");

  @TempDir Path folder;

  @Test
  void rowsWrittenToMinioAreReadBack() {
    Map<String, String> s3 =
        Map.of(
            "io-impl",
            "org.apache.iceberg.aws.s3.S3FileIO",
            "s3.endpoint",
            MINIO.getS3URL(),
            "s3.path-style-access",
            "true",
            "s3.access-key-id",
            MINIO.getUserName(),
            "s3.secret-access-key",
            MINIO.getPassword(),
            "client.region",
            "us-east-1");
    try (S3Client client =
        S3Client.builder()
            .endpointOverride(java.net.URI.create(MINIO.getS3URL()))
            .forcePathStyle(true)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(MINIO.getUserName(), MINIO.getPassword())))
            .build()) {
      client.createBucket(b -> b.bucket("lake"));
    }
    try (RestCatalogServer rest = RestCatalogServer.start(folder, "s3://lake/warehouse", s3)) {
      Catalog catalog =
          LakeCatalogs.open(new CatalogSettings(CatalogType.REST, rest.uri(), null, null, s3));
      List<LakeRow> rows = TestRows.oneOfEach();
      try (LakeWriter writer =
          LakeWriter.builder(catalog).writeAheadLog(folder.resolve("wal")).build()) {
        writer.append(rows);
        writer.flush();
      }
      for (LakeRow row : rows) {
        assertThat(
                TableRows.readAll(catalog.loadTable(TableIdentifier.of("crypto", row.tableName()))))
            .containsExactly(row);
      }
    }
  }
}
