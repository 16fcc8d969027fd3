package dev.lake.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretsTest {
  @Test
  void thePasswordOfAUriIsMaskedAndTheUserKept() {
    assertThat(Secrets.mask("at http://lake:hunter2@catalog.example:8181/api, retrying"))
        .isEqualTo("at http://lake:****@catalog.example:8181/api, retrying");
  }

  @Test
  void aTokenOnlyUserInfoIsMaskedWhole() {
    assertThat(Secrets.mask("wss://abcdef123@stream.example/ws"))
        .isEqualTo("wss://****@stream.example/ws");
  }

  @Test
  void aPasswordWithAnUnescapedAtSignIsMaskedWhole() {
    assertThat(Secrets.mask("jdbc:postgresql://lake:p@ss@db:5432/lake"))
        .isEqualTo("jdbc:postgresql://lake:****@db:5432/lake");
  }

  @Test
  void secretQueryParametersAreMaskedAndOthersKept() {
    assertThat(
            Secrets.mask(
                "https://h/p?symbol=BTCUSDT&access_token=t1&X-Amz-Credential=AKIA/20250101/s3"
                    + "&X-Amz-Signature=ab12&key=k&password=p&secret=s&sig=x&limit=5"))
        .isEqualTo(
            "https://h/p?symbol=BTCUSDT&access_token=****&X-Amz-Credential=****"
                + "&X-Amz-Signature=****&key=****&password=****&secret=****&sig=****&limit=5");
  }

  @Test
  void thePunctuationAfterASecretValueIsKept() {
    assertThat(Secrets.mask("at http://h/api?token=abc: refused (password=x). Done"))
        .isEqualTo("at http://h/api?token=****: refused (password=****). Done");
  }

  @Test
  void jdbcPasswordParametersAreMasked() {
    assertThat(Secrets.mask("jdbc:sqlserver://db;user=lake;password=hunter2;encrypt=true"))
        .isEqualTo("jdbc:sqlserver://db;user=lake;password=****;encrypt=true");
  }

  @Test
  void secretEntriesOfAPrintedMapAreMasked() {
    assertThat(Secrets.mask("{credential=id:hunter2, header.X-Api=abc, s3.endpoint=http://m:9000}"))
        .isEqualTo("{credential=****, header.X-Api=****, s3.endpoint=http://m:9000}");
  }

  @Test
  void secretFieldsOfJsonAreMasked() {
    assertThat(Secrets.mask("{\"access_token\": \"abc\\\"def\", \"token_type\": \"bearer\"}"))
        .isEqualTo("{\"access_token\": \"****\", \"token_type\": \"****\"}");
  }

  @Test
  void authorizationCredentialsAreMasked() {
    assertThat(
            Secrets.mask(
                "Authorization: Bearer eyJhbGciOi.x-y_z~+/== | Basic dXNlcjpwYXNz | Authorization: raw123"))
        .isEqualTo("Authorization: Bearer **** | Basic **** | Authorization: ****");
  }

  @Test
  void textWithoutSecretsIsUnchanged() {
    String text =
        "Cannot open rest catalog at http://127.0.0.1:8181/api: ConnectException: Connection"
            + " refused; s3://bucket/warehouse/crypto, s3.access-key-id=AKIA123, limit=100";
    assertThat(Secrets.mask(text)).isEqualTo(text);
  }

  @Test
  void maskingTwiceChangesNothing() {
    String once = Secrets.mask("http://u:p@h/x?token=t Bearer abc {password=x}");
    assertThat(Secrets.mask(once)).isEqualTo(once);
  }

  @Test
  void headerPropertiesAreSecretWhateverTheirName() {
    assertThat(Secrets.isSecretName("header.Authorization")).isTrue();
    assertThat(Secrets.isSecretName("header.X-Iceberg-Access-Delegation")).isTrue();
    assertThat(Secrets.isSecretName("s3.access-key-id")).isFalse();
    assertThat(Secrets.isSecretName("s3.endpoint")).isFalse();
  }

  @Test
  void maskedPropertiesHideSecretValuesAndMaskUrisInTheOthers() {
    assertThat(
            Secrets.maskProperties(
                Map.of(
                    "header.Authorization", "Bearer abc",
                    "credential", "id:secret",
                    "oauth2-server-uri", "https://id:secret@auth.example/token",
                    "client.region", "eu-west-1")))
        .containsExactly(
            Map.entry("client.region", "eu-west-1"),
            Map.entry("credential", "****"),
            Map.entry("header.Authorization", "****"),
            Map.entry("oauth2-server-uri", "https://id:****@auth.example/token"));
  }

  @Test
  void theMaskingWriterMasksEachLineAndWhatIsFlushed() {
    StringWriter target = new StringWriter();
    PrintWriter writer = new PrintWriter(Secrets.maskingWriter(target));
    writer.print("at http://u:pa");
    writer.println("ss@h/x");
    writer.print("progress ?token=abc\r");
    writer.print("tail token=xyz");
    writer.flush();
    assertThat(target.toString())
        .isEqualTo(
            "at http://u:****@h/x"
                + System.lineSeparator()
                + "progress ?token=****\r"
                + "tail token=****");
  }

  @Test
  void theMaskingStreamMasksEachLineOfBytes() throws IOException {
    ByteArrayOutputStream target = new ByteArrayOutputStream();
    OutputStream stream = Secrets.maskingStream(target, StandardCharsets.UTF_8);
    stream.write("WARN über http://u:pa".getBytes(StandardCharsets.UTF_8));
    stream.write("ss@h/x\n".getBytes(StandardCharsets.UTF_8));
    stream.flush();
    assertThat(target.toString(StandardCharsets.UTF_8)).isEqualTo("WARN über http://u:****@h/x\n");
  }

  @Test
  void printedSettingsMaskTheUriAndEveryHeader() {
    CatalogSettings settings =
        new CatalogSettings(
            CatalogType.REST,
            "https://lake:hunter2@catalog.example/api?token=t0ken",
            null,
            null,
            Map.of("header.Authorization", "Bearer b3arer"));
    assertThat(settings.toString())
        .contains("uri=https://lake:****@catalog.example/api?token=****")
        .contains("header.Authorization=****")
        .doesNotContain("hunter2")
        .doesNotContain("t0ken")
        .doesNotContain("b3arer");
  }

  @Test
  void anUnreachableCatalogIsNamedWithItsSecretsMasked() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0)) {
      closed = socket.getLocalPort();
    }
    CatalogSettings settings =
        new CatalogSettings(
            CatalogType.REST,
            "http://127.0.0.1:" + closed + "/api?access_token=t0ken",
            null,
            null,
            Map.of());
    assertThatThrownBy(() -> LakeCatalogs.open(settings))
        .isInstanceOf(CatalogException.class)
        .hasMessageStartingWith(
            "Cannot open rest catalog at http://127.0.0.1:" + closed + "/api?access_token=****: ")
        .message()
        .doesNotContain("t0ken");
  }
}
