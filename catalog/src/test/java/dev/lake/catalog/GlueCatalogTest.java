package dev.lake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Method;
import java.util.Map;
import org.apache.iceberg.aws.glue.GlueCatalog;
import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;

/** Glue cannot be reached from here; these check what lake hands to Iceberg's GlueCatalog. */
class GlueCatalogTest {
  @Test
  void aGlueCatalogIsBuiltWithTheConfiguredProperties() throws Exception {
    CatalogSettings settings =
        new CatalogSettings(
            CatalogType.GLUE,
            null,
            "s3://my-lake/warehouse",
            "prod",
            Map.of("client.region", "eu-west-1", "glue.skip-archive", "true"));
    Catalog catalog = LakeCatalogs.open(settings);
    assertThat(catalog).isInstanceOf(GlueCatalog.class);
    assertThat(catalog.name()).isEqualTo("prod");
    Method properties = GlueCatalog.class.getDeclaredMethod("properties");
    properties.setAccessible(true);
    @SuppressWarnings("unchecked")
    Map<String, String> given = (Map<String, String>) properties.invoke(catalog);
    assertThat(given)
        .containsEntry("warehouse", "s3://my-lake/warehouse")
        .containsEntry("io-impl", "org.apache.iceberg.aws.s3.S3FileIO")
        .containsEntry("client.region", "eu-west-1")
        .containsEntry("glue.skip-archive", "true");
  }

  @Test
  void aGlueCatalogNeedsAWarehouse() {
    CatalogSettings settings = new CatalogSettings(CatalogType.GLUE, null, null, null, Map.of());
    assertThatThrownBy(() -> LakeCatalogs.open(settings))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Invalid catalog settings: a glue catalog needs sink.warehouse (s3://bucket/prefix)");
  }

  @Test
  void secretsAreMaskedWhenSettingsArePrinted() {
    CatalogSettings settings =
        new CatalogSettings(
            CatalogType.REST,
            "https://catalog.example",
            null,
            null,
            Map.of(
                "s3.access-key-id", "AKIA123",
                "s3.secret-access-key", "very-secret",
                "credential", "client:secret",
                "token", "abc"));
    assertThat(settings.toString())
        .contains("s3.access-key-id=AKIA123")
        .doesNotContain("very-secret")
        .doesNotContain("client:secret")
        .doesNotContain("abc");
  }
}
