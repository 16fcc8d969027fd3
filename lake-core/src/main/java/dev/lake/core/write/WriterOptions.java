package dev.lake.core.write;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * Every tunable setting of a {@link LakeWriter}, with its default: the one place the defaults are
 * declared ({@link LakeWriter.Builder} and lake's configuration file both start from {@link
 * #defaults()}).
 *
 * @param commitInterval time between commits (at least 10 ms); default 60 s
 * @param bufferMaxBytes bytes the open data files may hold before an early commit (at least 1 MiB);
 *     default 256 MiB
 * @param walFsyncInterval time between forcing the log to disk, zero for every append; default 200
 *     ms
 * @param walMaxBytes the log's disk budget (at least 1 MiB); default 10 GiB
 * @param walSegmentBytes size of a log segment file (at least 4096); default 64 MiB
 * @param walFullPolicy what {@link LakeWriter#append} does past the budget; default back-pressure
 * @param shutdownTimeout how long {@link LakeWriter#close()} waits for the last commit; default 30
 *     s
 * @param commitJitter before each commit round, the commit thread waits a random time from zero to
 *     this (at most the commit interval), so that writers sharing tables (shards) do not commit at
 *     the same moment and conflict; a retry after a failure and the last commit on close do not
 *     wait; default zero
 * @throws IllegalArgumentException when a value is out of its range (the message names it)
 */
public record WriterOptions(
    Duration commitInterval,
    long bufferMaxBytes,
    Duration walFsyncInterval,
    long walMaxBytes,
    long walSegmentBytes,
    WalFullPolicy walFullPolicy,
    Duration shutdownTimeout,
    Duration commitJitter) {

  /** The least buffer and log budget: 1 MiB. */
  public static final long MIN_BUFFER_BYTES = 1024 * 1024;

  private static final WriterOptions DEFAULTS =
      new WriterOptions(
          Duration.ofSeconds(60),
          256L * 1024 * 1024,
          Duration.ofMillis(200),
          10L * 1024 * 1024 * 1024,
          64L * 1024 * 1024,
          WalFullPolicy.BACKPRESSURE,
          Duration.ofSeconds(30),
          Duration.ZERO);

  public WriterOptions {
    requireNonNull(commitInterval, "commitInterval is null");
    requireNonNull(walFsyncInterval, "walFsyncInterval is null");
    requireNonNull(walFullPolicy, "walFullPolicy is null");
    requireNonNull(shutdownTimeout, "shutdownTimeout is null");
    requireNonNull(commitJitter, "commitJitter is null");
    if (commitJitter.isNegative() || commitJitter.compareTo(commitInterval) > 0) {
      throw new IllegalArgumentException(
          "Invalid commit jitter: "
              + commitJitter.toMillis()
              + " ms (expected 0 to the commit interval, "
              + commitInterval.toMillis()
              + " ms)");
    }
    if (commitInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "Invalid commit interval: "
              + commitInterval.toMillis()
              + " ms (expected at least 10 ms)");
    }
    if (bufferMaxBytes < MIN_BUFFER_BYTES) {
      throw new IllegalArgumentException(
          "Invalid buffer size: " + bufferMaxBytes + " bytes (expected at least 1 MiB)");
    }
    if (walFsyncInterval.isNegative()) {
      throw new IllegalArgumentException("Invalid fsync interval: " + walFsyncInterval);
    }
    if (walMaxBytes < MIN_BUFFER_BYTES) {
      throw new IllegalArgumentException(
          "Invalid write-ahead log budget: " + walMaxBytes + " bytes (expected at least 1 MiB)");
    }
    if (walSegmentBytes < 4096) {
      throw new IllegalArgumentException(
          "Invalid segment size: " + walSegmentBytes + " bytes (expected at least 4096)");
    }
  }

  /** The defaults listed above. */
  public static WriterOptions defaults() {
    return DEFAULTS;
  }

  /** These options with another commit interval. */
  public WriterOptions withCommitInterval(Duration value) {
    return new WriterOptions(
        value,
        bufferMaxBytes,
        walFsyncInterval,
        walMaxBytes,
        walSegmentBytes,
        walFullPolicy,
        shutdownTimeout,
        commitJitter);
  }

  /** These options with another buffer budget. */
  public WriterOptions withBufferMaxBytes(long value) {
    return new WriterOptions(
        commitInterval,
        value,
        walFsyncInterval,
        walMaxBytes,
        walSegmentBytes,
        walFullPolicy,
        shutdownTimeout,
        commitJitter);
  }

  /** These options with another fsync interval. */
  public WriterOptions withWalFsyncInterval(Duration value) {
    return new WriterOptions(
        commitInterval,
        bufferMaxBytes,
        value,
        walMaxBytes,
        walSegmentBytes,
        walFullPolicy,
        shutdownTimeout,
        commitJitter);
  }

  /** These options with another log budget. */
  public WriterOptions withWalMaxBytes(long value) {
    return new WriterOptions(
        commitInterval,
        bufferMaxBytes,
        walFsyncInterval,
        value,
        walSegmentBytes,
        walFullPolicy,
        shutdownTimeout,
        commitJitter);
  }

  /** These options with another segment size. */
  public WriterOptions withWalSegmentBytes(long value) {
    return new WriterOptions(
        commitInterval,
        bufferMaxBytes,
        walFsyncInterval,
        walMaxBytes,
        value,
        walFullPolicy,
        shutdownTimeout,
        commitJitter);
  }

  /** These options with another policy past the log's budget. */
  public WriterOptions withWalFullPolicy(WalFullPolicy value) {
    return new WriterOptions(
        commitInterval,
        bufferMaxBytes,
        walFsyncInterval,
        walMaxBytes,
        walSegmentBytes,
        value,
        shutdownTimeout,
        commitJitter);
  }

  /** These options with another shutdown timeout. */
  public WriterOptions withShutdownTimeout(Duration value) {
    return new WriterOptions(
        commitInterval,
        bufferMaxBytes,
        walFsyncInterval,
        walMaxBytes,
        walSegmentBytes,
        walFullPolicy,
        value,
        commitJitter);
  }

  /** These options with another commit jitter. */
  public WriterOptions withCommitJitter(Duration value) {
    return new WriterOptions(
        commitInterval,
        bufferMaxBytes,
        walFsyncInterval,
        walMaxBytes,
        walSegmentBytes,
        walFullPolicy,
        shutdownTimeout,
        value);
  }
}
