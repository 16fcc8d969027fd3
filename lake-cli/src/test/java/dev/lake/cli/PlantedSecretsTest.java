package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plants secrets in configurations (a password and tokens in a REST catalog URI, header and
 * credential properties, an S3 secret key, tokens in feed URLs, an environment secret interpolated
 * into a mistyped field), runs every command with and without {@code --verbose}, and greps all of
 * their output and the logs (SLF4J's simple logger writes to {@code System.err}) for the secrets.
 * In-process, {@code --verbose} adds stack traces; the debug log level is set by {@code Main}
 * before the logger starts.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlantedSecretsTest {
  private static final String URI_PASSWORD = "uri-password-5ecret";
  private static final String URI_TOKEN = "uri-token-5ecret";
  private static final String URI_SIGNATURE = "uri-signature-5ecret";
  private static final String BEARER = "bearer-5ecret";
  private static final String CLIENT_SECRET = "client-5ecret";
  private static final String S3_SECRET = "s3-5ecret";
  private static final String FEED_TOKEN = "feed-token-5ecret";
  private static final String FEED_SIGNATURE = "feed-signature-5ecret";
  private static final String ENV_SECRET = "env-5ecret";
  private static final String ACCESS_TOKEN = "access-token-5ecret";
  private static final String JDBC_PASSWORD = "jdbc-password-5ecret";
  private static final List<String> SECRETS =
      List.of(
          URI_PASSWORD,
          URI_TOKEN,
          URI_SIGNATURE,
          BEARER,
          CLIENT_SECRET,
          S3_SECRET,
          FEED_TOKEN,
          FEED_SIGNATURE,
          ENV_SECRET,
          ACCESS_TOKEN,
          JDBC_PASSWORD);
  private static final List<String> CONFIGS =
      List.of("rest.yml", "rest-token.yml", "jdbc.yml", "embedded.yml", "mistyped.yml");
  private static final Map<String, String> ENVIRONMENT =
      Map.of("CATALOG_TOKEN", BEARER, "LAKE_SECRET", ENV_SECRET);
  private static final List<List<String>> COMMANDS =
      List.of(
          List.of("config", "validate"),
          List.of("tables", "create"),
          List.of("tables", "list"),
          List.of("tables", "describe", "orderbook_delta"),
          List.of("compact", "--include-current"),
          List.of("maintain"),
          List.of("ingest", "--duration", "1s", "--status-interval", "1s"));

  @TempDir static Path folder;
  private final List<String> outputs = new ArrayList<>();

  @BeforeAll
  void runEveryCommandOnEveryConfig() throws IOException {
    int closed = closedPort();
    String properties =
        """
            properties:
              header.Authorization: "Bearer ${CATALOG_TOKEN}"
              credential: "lake-client:%s"
              s3.secret-access-key: %s
        """
            .formatted(CLIENT_SECRET, S3_SECRET);
    write(
        "rest.yml",
        source(closed)
            + "sink:\n  wal_dir: ./rest-wal\n  catalog:\n    type: rest\n    uri: \"http://lake:"
            + URI_PASSWORD
            + "@127.0.0.1:"
            + closed
            + "/api/catalog?token="
            + URI_TOKEN
            + "&X-Amz-Signature="
            + URI_SIGNATURE
            + "\"\n"
            + properties);
    write(
        "rest-token.yml",
        source(closed)
            + "sink:\n  wal_dir: ./rest-wal\n  catalog:\n    type: rest\n    uri: \"http://127.0.0.1:"
            + closed
            + "/api/catalog?access_token="
            + ACCESS_TOKEN
            + "\"\n");
    write(
        "jdbc.yml",
        source(closed)
            + "sink:\n  warehouse: ./warehouse\n  wal_dir: ./jdbc-wal\n  catalog:\n"
            + "    uri: \"jdbc:postgresql://lake:"
            + JDBC_PASSWORD
            + "@127.0.0.1:"
            + closed
            + "/lake?user=lake&password="
            + JDBC_PASSWORD
            + "\"\n");
    write(
        "embedded.yml",
        source(closed)
            + "sink:\n  warehouse: ./warehouse\n  wal_dir: ./wal\n  catalog:\n"
            + properties);
    write("mistyped.yml", "sink:\n  commit_interval_ms: ${LAKE_SECRET}\n");
    for (String config : CONFIGS) {
      for (List<String> command : COMMANDS) {
        run(config, command, false);
        run(config, command, true);
      }
    }
  }

  /**
   * A feed whose URLs carry a token-only user-info and a signature, on a port nobody listens on.
   */
  private static String source(int closed) {
    return """
        source:
          binance:
            spot:
              orderbook:
                delta: {url: "ws://%1$s@127.0.0.1:%2$d/ws", symbols: [BTCUSDT]}
              contracts: {url: "http://127.0.0.1:%2$d/api/v3/exchangeInfo?signature=%3$s"}
        """
        .formatted(FEED_TOKEN, closed, FEED_SIGNATURE);
  }

  private void write(String name, String text) throws IOException {
    Files.writeString(folder.resolve(name), text);
  }

  private void run(String config, List<String> command, boolean verbose) {
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--config", config));
    if (verbose) {
      args.add("--verbose");
    }
    PrintStream standardError = System.err;
    ByteArrayOutputStream logs = new ByteArrayOutputStream();
    System.setErr(new PrintStream(logs, true, StandardCharsets.UTF_8));
    CliRun run;
    try {
      run = CliRun.run(folder, ENVIRONMENT, args.toArray(String[]::new));
    } finally {
      System.err.flush();
      System.setErr(standardError);
    }
    outputs.add(
        "$ lake "
            + String.join(" ", args)
            + " (exit "
            + run.exitCode()
            + ")\n--- out\n"
            + run.out()
            + "--- err\n"
            + run.err()
            + "--- logs\n"
            + logs.toString(StandardCharsets.UTF_8));
  }

  private String outputOf(String config, String... command) {
    String prefix = "$ lake " + String.join(" ", command) + " --config " + config + " (";
    return outputs.stream().filter(o -> o.startsWith(prefix)).findFirst().orElseThrow();
  }

  private String verboseOutputOf(String config, String... command) {
    String prefix = "$ lake " + String.join(" ", command) + " --config " + config + " --verbose";
    return outputs.stream().filter(o -> o.startsWith(prefix)).findFirst().orElseThrow();
  }

  private String logsOf(String config, String... command) {
    String output = outputOf(config, command);
    return output.substring(output.indexOf("--- logs\n"));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void noPlantedSecretAppearsInTheOutputOrLogsOfAnyCommand() {
    assertThat(outputs).hasSize(CONFIGS.size() * COMMANDS.size() * 2);
    List<String> leaks = new ArrayList<>();
    for (String output : outputs) {
      for (String secret : SECRETS) {
        if (output.contains(secret)) {
          leaks.add(output.lines().findFirst().orElseThrow() + " shows " + secret);
        }
      }
    }
    assertThat(leaks).isEmpty();
  }

  @Test
  void configValidatePrintsTheCatalogUriAndPropertiesWithTheirSecretsMasked() {
    assertThat(outputOf("rest.yml", "config", "validate"))
        .contains("uri=http://lake:****@127.0.0.1:")
        .contains("/api/catalog?token=****&X-Amz-Signature=****")
        .contains("header.Authorization=****")
        .contains("credential=****")
        .contains("s3.secret-access-key=****");
  }

  @Test
  void configValidatePrintsFeedUrlsWithTheirSecretsMasked() {
    assertThat(outputOf("embedded.yml", "config", "validate"))
        .contains("<- ws://****@127.0.0.1:")
        .contains("/api/v3/exchangeInfo?signature=****");
  }

  @Test
  void anUnreachableCatalogIsNamedInTheErrorWithItsSecretsMasked() {
    assertThat(outputOf("rest.yml", "tables", "list"))
        .contains("lake: Cannot open rest catalog at http://lake:****@127.0.0.1:");
  }

  @Test
  void aCatalogThatRefusesConnectionsIsNamedWithTheTokenInItsQueryMasked() {
    assertThat(outputOf("rest-token.yml", "tables", "create"))
        .contains("/api/catalog?access_token=****: ");
  }

  @Test
  void aJdbcCatalogUrlIsNamedInTheErrorWithItsPasswordsMasked() {
    assertThat(outputOf("jdbc.yml", "tables", "create"))
        .contains("lake: Cannot open jdbc catalog at jdbc:postgresql://lake:****@127.0.0.1:")
        .contains("/lake?user=lake&password=****");
  }

  @Test
  void logsNameFeedUrlsWithTheirSecretsMasked() {
    assertThat(logsOf("embedded.yml", "ingest", "--duration", "1s", "--status-interval", "1s"))
        .contains("WARN dev.lake.exchanges")
        .contains("ws://****@127.0.0.1:")
        .contains("/api/v3/exchangeInfo?signature=****");
  }

  @Test
  void verboseStackTracesNameTheCatalogWithItsSecretsMasked() {
    assertThat(verboseOutputOf("rest.yml", "ingest", "--duration", "1s", "--status-interval", "1s"))
        .contains("CatalogException: Cannot open rest catalog at http://lake:****@127.0.0.1:")
        .contains("\tat dev.lake.catalog.LakeCatalogs.open");
  }

  @Test
  void verboseStackTracesMaskTheMessagesOfTheCauses() {
    assertThat(verboseOutputOf("jdbc.yml", "tables", "list"))
        .contains(
            "Caused by: java.sql.SQLException: No suitable driver found for"
                + " jdbc:postgresql://lake:****@127.0.0.1:");
  }

  @Test
  void aMistypedFieldNamesThePlaceholderAsWrittenInsteadOfTheInterpolatedSecret() {
    assertThat(outputOf("mistyped.yml", "tables", "create"))
        .contains("Invalid config value at sink.commit_interval_ms: \"${LAKE_SECRET}\"");
  }
}
