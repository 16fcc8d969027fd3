package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.cli.config.MetricsConfig;
import dev.lake.cli.ingest.Ingestion;
import dev.lake.cli.ingest.StatusReporter;
import dev.lake.cli.metrics.IngestMetrics;
import dev.lake.cli.metrics.MetricsServer;
import dev.lake.core.write.CommitListener;
import dev.lake.core.write.FatalWriteError;
import dev.lake.core.write.WriterStats;
import dev.lake.exchanges.ConnectorStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code lake ingest}: collects the configured feeds into the tables until stopped. */
@Command(
    name = "ingest",
    description = {
      "Connect to the configured exchanges and write every feed into the tables until stopped.",
      "Stops on SIGINT (Ctrl-C) or SIGTERM, or after --duration: everything received is committed"
          + " before it exits. A second signal exits at once; what is not committed then stays in"
          + " the write-ahead log and is committed on the next start.",
      "Exits 1 when rows could not be committed before it stopped (a storage or catalog failure):"
          + " they stay in the write-ahead log and the next start commits them. Stops and exits 1"
          + " when the write-ahead log's folder is deleted while it runs, after committing what it"
          + " had accepted, and when an error retrying cannot cure stops the commits (a table"
          + " dropped, an incompatible schema, credentials refused, permission denied): what was"
          + " received then stays in the write-ahead log for the next start."
    })
public final class IngestCommand extends LakeSubcommand {
  @Option(
      names = "--duration",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description = "Stop after this long, e.g. 30s, 10m, 2h (default: run until stopped).")
  Duration duration;

  @Option(
      names = "--status-interval",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      defaultValue = "10s",
      description = "Time between status lines (default: ${DEFAULT-VALUE}).")
  Duration statusInterval;

  @Option(
      names = "--metrics-port",
      paramLabel = "PORT",
      description =
          "Serve Prometheus metrics (/metrics) and a dashboard (/) on this port, on the address"
              + " of metrics.host (default 127.0.0.1); 0 takes a free port. Overrides"
              + " metrics.enabled and metrics.port of the config.")
  Integer metricsPort;

  public IngestCommand(CliContext context) {
    super(context);
  }

  @Override
  int run(Setup setup) throws InterruptedException {
    LakeConfig config = setup.config();
    config.requireFeeds();
    PrintWriter out = setup.out();
    CountDownLatch stop = new CountDownLatch(1);
    context.onStopSignal(stop::countDown);
    MetricsConfig metricsConfig = metricsConfig(config);
    IngestMetrics metrics = metricsConfig.enabled() ? new IngestMetrics() : null;
    MetricsServer server = metrics == null ? null : MetricsServer.start(metricsConfig, metrics);
    Ingestion ingestion;
    try {
      ingestion =
          Ingestion.start(
              config,
              setup.catalog(),
              stop::countDown,
              metrics == null ? CommitListener.NONE : metrics.commits());
    } catch (RuntimeException e) {
      if (server != null) {
        server.close();
      }
      throw e;
    }
    if (metrics != null) {
      metrics.bind(ingestion::snapshot);
    }
    out.println(
        "lake ingest: "
            + config.source().enabledFeeds()
            + " feeds of "
            + config.source().markets().size()
            + " markets into "
            + config.sink().catalog().type().text()
            + " catalog "
            + (config.sink().catalog().warehouse() == null
                ? config.sink().catalog().uri()
                : config.sink().catalog().warehouse())
            + "; write-ahead log "
            + config.sink().walDirectory()
            + (duration == null
                ? "; stop with Ctrl-C"
                : "; stopping after " + duration.toSeconds() + " s"));
    if (server != null) {
      out.println(
          "lake ingest: metrics on " + server.url() + "metrics, dashboard on " + server.url());
    }
    out.flush();
    try (StatusReporter status = new StatusReporter(ingestion, out, statusInterval)) {
      if (duration == null) {
        stop.await();
      } else {
        stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    out.println(
        ingestion.writerFailure() == null
            ? "lake ingest: stopping: committing what was received..."
            : "lake ingest: stopping ("
                + ingestion.writerFailure()
                + (ingestion.writerFatalError().isPresent()
                    ? "); keeping what was received in the write-ahead log..."
                    : "); committing what was accepted..."));
    out.flush();
    ConnectorStats connectors = ingestion.snapshot().connectors();
    ingestion.close();
    if (server != null) {
      server.close();
    }
    WriterStats writer = ingestion.writerStats();
    printSummary(out, writer, connectors, ingestion.lostRows());
    Optional<FatalWriteError> fatal = ingestion.writerFatalError();
    if (fatal.isPresent()) {
      return fatalError(fatal.get(), ingestion.lostRows(), config);
    }
    return exitCode(writer, ingestion.writerFailure(), ingestion.lostRows(), config);
  }

  private MetricsConfig metricsConfig(LakeConfig config) {
    if (metricsPort == null) {
      return config.metrics();
    }
    if (metricsPort < 0 || metricsPort > 65_535) {
      throw new CommandLine.ParameterException(
          spec.commandLine(),
          "Invalid value for option '--metrics-port': "
              + metricsPort
              + " (expected a TCP port from 0 to 65535)");
    }
    return config.metrics().onPort(metricsPort);
  }

  /** One line saying what stopped the commits, where the rows are, and what to do. */
  private int fatalError(FatalWriteError error, long refused, LakeConfig config) {
    String kept =
        refused == 0
            ? "Every received row is kept in the write-ahead log at " + config.sink().walDirectory()
            : "Every row accepted before it is kept in the write-ahead log at "
                + config.sink().walDirectory()
                + " ("
                + refused
                + " rows received after it could not be stored)";
    context.err().println("lake: " + error.message() + ". " + kept + "; " + remedy(error));
    context.err().flush();
    return ExitCodes.FAILURE;
  }

  private static String remedy(FatalWriteError error) {
    return switch (error.kind()) {
      case TABLE_DROPPED -> "recreate the table (lake tables create) and start lake ingest again.";
      case SCHEMA_INCOMPATIBLE ->
          "make the table's schema take lake's columns again (lake tables create upgrades it) and"
              + " start lake ingest again.";
      case AUTHENTICATION_REFUSED ->
          "check the catalog's and the storage's credentials and start lake ingest again.";
      case PERMISSION_DENIED ->
          "grant the catalog's and the storage's credentials access to the tables and start lake"
              + " ingest again.";
    };
  }

  /**
   * Exit 1 when the writer failed or rows are left uncommitted: cron and systemd see only the exit
   * code, and a stop that could not commit is a storage or catalog failure. The last line says what
   * became of the rows.
   */
  private int exitCode(WriterStats writer, String failure, long refused, LakeConfig config) {
    if (failure != null) {
      context
          .err()
          .println(
              "lake: Cannot go on ingesting: "
                  + failure
                  + (writer.rowsLost() > 0
                      ? "; "
                          + writer.rowsLost()
                          + " rows accepted before could not be committed and are lost (last"
                          + " error: "
                          + writer.lastError()
                          + ")"
                      : "; every row accepted before is committed")
                  + (refused > 0
                      ? "; " + refused + " rows received after it could not be stored"
                      : "")
                  + "; start `lake ingest` again to go on with a new log");
      context.err().flush();
      return ExitCodes.FAILURE;
    }
    if (refused > 0) {
      context
          .err()
          .println("lake: Cannot store " + refused + " received rows: the writer refused them");
      context.err().flush();
      return ExitCodes.FAILURE;
    }
    if (writer.rowsUncommitted() == 0) {
      return ExitCodes.OK;
    }
    context
        .err()
        .println(
            "lake: Cannot commit "
                + writer.rowsUncommitted()
                + " rows before stopping: "
                + (writer.lastError() != null
                    ? writer.lastError()
                    : "not committed within sink.shutdown_timeout_ms ("
                        + config.sink().shutdownTimeoutMs()
                        + " ms)")
                + "; they stay in the write-ahead log at "
                + config.sink().walDirectory()
                + " and the next `lake ingest` on it commits them");
    context.err().flush();
    return ExitCodes.FAILURE;
  }

  private static void printSummary(
      PrintWriter out, WriterStats writer, ConnectorStats connectors, long refused) {
    Map<String, Long> committed = new TreeMap<>(writer.rowsCommitted());
    out.println(
        "lake ingest: stopped. Rows committed: "
            + (committed.isEmpty()
                ? "none"
                : committed.toString().replace("{", "").replace("}", ""))
            + "; messages "
            + connectors.messages()
            + ", validated "
            + connectors.validated()
            + ", gaps "
            + connectors.gaps()
            + ", resyncs "
            + connectors.resyncs()
            + ", rejected "
            + connectors.rejected()
            + (writer.rowsUncommitted() > 0
                ? "; "
                    + writer.rowsUncommitted()
                    + " rows not committed stay in the write-ahead log for the next start"
                : "")
            + (writer.commitConflicts() > 0
                ? "; commit conflicts with other writers " + writer.commitConflicts()
                : "")
            + (writer.rowsLost() > 0 ? "; " + writer.rowsLost() + " rows lost" : "")
            + (refused > 0 ? "; " + refused + " rows received were refused by the writer" : ""));
    out.flush();
  }
}
