package dev.lake.core.internal.wal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Writes the log kept as the test resource {@code wal/v1}: {@link LogFixtures#everyRowType()} as
 * one record, then each row as a record of its own. It was run once, with the code of the release
 * that wrote format 1 (records without a format version, enums as ordinals); running it again with
 * a later release writes that release's format instead, so keep the file it wrote.
 *
 * <p>Usage: {@code V1LogGenerator <folder>}; the folder must not hold a log.
 */
final class V1LogGenerator {
  private V1LogGenerator() {}

  public static void main(String[] args) throws Exception {
    Path folder = Path.of(args[0]);
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      log.append(LogFixtures.everyRowType());
      for (var row : LogFixtures.everyRowType()) {
        log.append(java.util.List.of(row));
      }
    }
    try (Stream<Path> files = Files.list(folder)) {
      files
          .filter(p -> !p.getFileName().toString().startsWith("segment-"))
          .forEach(
              p -> {
                try {
                  Files.delete(p);
                } catch (java.io.IOException e) {
                  throw new java.io.UncheckedIOException(e);
                }
              });
    }
  }
}
