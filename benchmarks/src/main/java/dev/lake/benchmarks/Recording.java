package dev.lake.benchmarks;

import dev.lake.core.model.MarketType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * A stream of real-format Binance diff-depth frames for one book, with the REST snapshot that
 * starts it: read from the recordings in ../shared/data/binance-capture when present, otherwise
 * generated with the same statistics (levels per message, prices around a drifting mid, sequence
 * ids with U/u and, on futures, pu).
 *
 * @param name where it came from
 * @param market spot or future
 * @param symbol the recorded symbol
 * @param frames the depth frames as received (combined-stream form), kept off the heap
 * @param snapshotAt the snapshot arrived after this many frames
 * @param snapshot the REST depth snapshot body
 */
public record Recording(
    String name,
    MarketType market,
    String symbol,
    List<byte[]> frames,
    int snapshotAt,
    byte[] snapshot) {

  public long bytes() {
    return frames.stream().mapToLong(frame -> frame.length).sum();
  }

  /** The four recordings, or four generated streams when the folder is absent. */
  public static List<Recording> load(Path captureFolder) throws IOException {
    List<Recording> recordings = new ArrayList<>();
    if (Files.isDirectory(captureFolder)) {
      for (String file :
          List.of(
              "usdm_btcusdt_20240808.gz",
              "usdm_ethusdt_20240808.gz",
              "spot_btcusdt_20240808.gz",
              "spot_ethusdt_20240808.gz")) {
        Path path = captureFolder.resolve(file);
        if (Files.isRegularFile(path)) {
          recordings.add(read(path));
        }
      }
    }
    if (recordings.isEmpty()) {
      recordings.add(generate("generated usdm", MarketType.FUTURE, "BTCUSDT", 6500, 66, 1));
      recordings.add(generate("generated usdm", MarketType.FUTURE, "ETHUSDT", 6500, 65, 2));
      recordings.add(generate("generated spot", MarketType.SPOT, "BTCUSDT", 3450, 36, 3));
      recordings.add(generate("generated spot", MarketType.SPOT, "ETHUSDT", 3450, 31, 4));
    }
    return recordings;
  }

  private static Recording read(Path path) throws IOException {
    String name = path.getFileName().toString();
    MarketType market = name.startsWith("usdm") ? MarketType.FUTURE : MarketType.SPOT;
    String symbol =
        name.substring(name.indexOf('_') + 1, name.lastIndexOf('_')).toUpperCase(Locale.ROOT);
    List<byte[]> frames = new ArrayList<>();
    byte[] snapshot = null;
    int snapshotAt = 0;
    try (BufferedReader reader =
        new BufferedReader(
            new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(path)), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        String json = line.substring(line.indexOf(' ') + 1);
        if (json.startsWith("{\"lastUpdateId\"")) {
          snapshot = json.getBytes(StandardCharsets.UTF_8);
          snapshotAt = frames.size();
        } else if (json.contains("@depth")) {
          frames.add(json.getBytes(StandardCharsets.UTF_8));
        }
      }
    }
    return new Recording(
        "recorded " + name, market, symbol, new OffHeapFrames(frames), snapshotAt, snapshot);
  }

  /** Frames with the recordings' statistics, for machines without the recordings. */
  static Recording generate(
      String name, MarketType market, String symbol, int count, int levels, long seed) {
    Random random = new Random(seed);
    double tick = market == MarketType.SPOT ? 0.01 : 0.1;
    long mid = 600_000 + random.nextInt(1000);
    long id = 5_000_000_000L;
    long time = 1_723_161_255_000L;
    // spot's first event starts right after the snapshot; a futures event must straddle it
    long snapshotId = market == MarketType.SPOT ? id : id + 1;
    StringBuilder snapshot =
        new StringBuilder("{\"lastUpdateId\":").append(snapshotId).append(",\"bids\":[");
    for (int i = 0; i < 1000; i++) {
      snapshot.append(i == 0 ? "" : ",").append(level(mid - 1 - i, tick, random, false));
    }
    snapshot.append("],\"asks\":[");
    for (int i = 0; i < 1000; i++) {
      snapshot.append(i == 0 ? "" : ",").append(level(mid + 1 + i, tick, random, false));
    }
    snapshot.append("]}");
    List<byte[]> frames = new ArrayList<>(count);
    long previous = id;
    for (int n = 0; n < count; n++) {
      mid += random.nextInt(3) - 1;
      time += 50 + random.nextInt(100);
      long first = previous + 1 + (market == MarketType.FUTURE && n > 0 ? random.nextInt(50) : 0);
      long last = first + random.nextInt(20);
      int bids = Math.max(1, (int) (levels * random.nextDouble()));
      int asks = Math.max(1, levels * 2 - bids - random.nextInt(levels / 2 + 1));
      StringBuilder frame =
          new StringBuilder("{\"stream\":\"")
              .append(symbol.toLowerCase(Locale.ROOT))
              .append(market == MarketType.SPOT ? "@depth@100ms" : "@depth@0ms")
              .append("\",\"data\":{\"e\":\"depthUpdate\",\"E\":")
              .append(time)
              .append(market == MarketType.FUTURE ? ",\"T\":" + (time - 2) : "")
              .append(",\"s\":\"")
              .append(symbol)
              .append("\",\"U\":")
              .append(first)
              .append(",\"u\":")
              .append(last)
              .append(market == MarketType.FUTURE ? ",\"pu\":" + previous : "")
              .append(",\"b\":[");
      for (int i = 0; i < bids; i++) {
        frame
            .append(i == 0 ? "" : ",")
            .append(
                level(mid - 1 - (long) Math.abs(random.nextGaussian() * 300), tick, random, true));
      }
      frame.append("],\"a\":[");
      for (int i = 0; i < asks; i++) {
        frame
            .append(i == 0 ? "" : ",")
            .append(
                level(mid + 1 + (long) Math.abs(random.nextGaussian() * 300), tick, random, true));
      }
      frame.append("]}}");
      frames.add(frame.toString().getBytes(StandardCharsets.UTF_8));
      previous = last;
    }
    return new Recording(
        name,
        market,
        symbol,
        new OffHeapFrames(frames),
        0,
        snapshot.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String level(long ticks, double tick, Random random, boolean mayRemove) {
    String quantity =
        mayRemove && random.nextInt(3) == 0
            ? "0.000"
            : String.format(Locale.ROOT, "%.3f", random.nextInt(50_000) / 1000.0);
    return String.format(Locale.ROOT, "[\"%.2f\",\"%s\"]", ticks * tick, quantity);
  }
}
