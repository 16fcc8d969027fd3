package dev.lake.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * What the logs write while it is open. slf4j-simple writes to {@code System.err} as it is at each
 * line, so this swaps standard error for a copy that still reaches the original.
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream original;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  private LogCapture() {
    this.original = System.err;
    OutputStream both =
        new OutputStream() {
          @Override
          public void write(int b) {
            captured.write(b);
            original.write(b);
          }

          @Override
          public void write(byte[] bytes, int offset, int length) {
            captured.write(bytes, offset, length);
            original.write(bytes, offset, length);
          }

          @Override
          public void flush() throws IOException {
            original.flush();
          }
        };
    System.setErr(new PrintStream(both, true, StandardCharsets.UTF_8));
  }

  /** Starts capturing standard error. */
  public static LogCapture start() {
    return new LogCapture();
  }

  /** The lines written so far that contain a text (a logger's name, say). */
  public List<String> lines(String containing) {
    return captured
        .toString(StandardCharsets.UTF_8)
        .lines()
        .filter(line -> line.contains(containing))
        .toList();
  }

  @Override
  public void close() {
    System.setErr(original);
  }
}
