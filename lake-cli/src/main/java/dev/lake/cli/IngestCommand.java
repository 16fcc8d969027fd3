package dev.lake.cli;

import dev.lake.cli.config.LakeConfig;
import dev.lake.cli.ingest.Ingestion;
import dev.lake.cli.ingest.StatusReporter;
import dev.lake.core.write.WriterStats;
import dev.lake.exchanges.ConnectorStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lake ingest}: collects the configured feeds into the tables until stopped. */
@Command(
    name = "ingest",
    description = {
      "Connect to the configured exchanges and write every feed into the tables until stopped.",
      "Stops on SIGINT (Ctrl-C) or SIGTERM, or after --duration: everything received is committed"
          + " before it exits. A second signal exits at once; what is not committed then stays in"
          + " the write-ahead log and is committed on the next start."
    })
public final class IngestCommand implements Callable<Integer> {
  @Mixin CommonOptions common;

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

  private final CliContext context;

  public IngestCommand(CliContext context) {
    this.context = context;
  }

  @Override
  public Integer call() throws InterruptedException {
    LakeConfig config = context.config(common);
    config.requireFeeds();
    PrintWriter out = context.out();
    CountDownLatch stop = new CountDownLatch(1);
    context.onStopSignal(stop::countDown);
    Ingestion ingestion = Ingestion.start(config, context.catalog(config));
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
    out.flush();
    try (StatusReporter status = new StatusReporter(ingestion, out, statusInterval)) {
      if (duration == null) {
        stop.await();
      } else {
        stop.await(duration.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    out.println("lake ingest: stopping: committing what was received...");
    out.flush();
    ConnectorStats connectors = ingestion.connectorStats();
    ingestion.close();
    printSummary(out, ingestion.writerStats(), connectors);
    return ExitCodes.OK;
  }

  private static void printSummary(PrintWriter out, WriterStats writer, ConnectorStats connectors) {
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
            + (writer.totalRowsAppended() > writer.totalRowsCommitted()
                ? "; "
                    + (writer.totalRowsAppended() - writer.totalRowsCommitted())
                    + " rows not committed stay in the write-ahead log"
                : ""));
    out.flush();
  }
}
