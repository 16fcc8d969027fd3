package dev.lake.cli;

import dev.lake.core.maintenance.CompactionListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Shows a compaction's progress: a bar redrawn in place on a terminal (groups done, bytes
 * rewritten, rate), a plain line per table and per ten percent elsewhere (logs, pipes).
 */
final class Progress implements CompactionListener {
  private final PrintWriter out;
  private final boolean terminal;
  private final long started = System.nanoTime();
  private String table = "";
  private int groups;
  private int done;
  private long totalBytes;
  private long bytesDone;
  private int lastDecile = -1;

  Progress(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public void planned(String name, int tableGroups, long inputBytes) {
    finishLine();
    this.table = name;
    this.groups = tableGroups;
    this.done = 0;
    this.totalBytes = inputBytes;
    this.bytesDone = 0;
    this.lastDecile = -1;
    if (!terminal) {
      out.println(name + ": " + tableGroups + " groups to rewrite, " + TextTable.bytes(inputBytes));
      out.flush();
    }
  }

  @Override
  public void groupDone(String name, GroupResult group) {
    done++;
    bytesDone += group.bytesIn();
    if (group.failure() != null) {
      finishLine();
      out.println(name + " " + group.partition() + ": failed: " + group.failure());
    }
    if (terminal) {
      out.print("\r" + bar());
      out.flush();
    } else {
      int decile = groups == 0 ? 10 : done * 10 / groups;
      if (decile != lastDecile) {
        lastDecile = decile;
        out.println(bar());
        out.flush();
      }
    }
  }

  private String bar() {
    int width = 30;
    int filled = groups == 0 ? width : (int) ((long) done * width / groups);
    double seconds = Math.max(0.001, (System.nanoTime() - started) / 1e9);
    return String.format(
        Locale.ROOT,
        "%-20s [%s%s] %d/%d groups, %s of %s, %.1f MiB/s",
        table,
        "=".repeat(filled),
        " ".repeat(width - filled),
        done,
        groups,
        TextTable.bytes(bytesDone),
        TextTable.bytes(totalBytes),
        bytesDone / 1048576.0 / seconds);
  }

  void finishLine() {
    if (terminal && groups > 0) {
      out.println();
      groups = 0;
    }
  }
}
