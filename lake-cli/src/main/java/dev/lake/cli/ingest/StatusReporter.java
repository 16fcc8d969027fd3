package dev.lake.cli.ingest;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints one status line of a running ingestion per interval. */
public final class StatusReporter implements AutoCloseable {
  private final ScheduledExecutorService timer;

  public StatusReporter(Ingestion ingestion, PrintWriter out, Duration interval) {
    StatusLine line = new StatusLine();
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "lake-status");
              thread.setDaemon(true);
              return thread;
            });
    long millis = Math.max(100, interval.toMillis());
    timer.scheduleAtFixedRate(
        () -> {
          out.println(line.next(ingestion.snapshot()));
          out.flush();
        },
        millis,
        millis,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
