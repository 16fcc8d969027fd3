package dev.lake.benchmarks;

import dev.lake.core.model.MarketType;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * Spreads the recordings over N books, as a whole venue would deliver them: book i replays
 * recording i mod 4 (its own copy, with its own name), and books take turns, one event each, so
 * that events of different books interleave. Each book's snapshot comes where it came in the
 * recording.
 */
final class FanOut {
  interface Visitor {
    void frame(int book, byte[] frame);

    void snapshot(int book, byte[] body);

    /** Every book has started (skewed runs only): what follows is the steady state. */
    default void started() {}
  }

  private final List<Recording> recordings;
  private final String[] names;
  private final MarketType[] markets;

  FanOut(List<Recording> recordings, int books) {
    this.recordings = recordings;
    this.names = new String[books];
    this.markets = new MarketType[books];
    for (int i = 0; i < books; i++) {
      Recording recording = recordings.get(i % recordings.size());
      names[i] = String.format(Locale.ROOT, "B%04d%s", i, recording.symbol());
      markets[i] = recording.market();
    }
  }

  String[] names() {
    return names;
  }

  MarketType[] markets() {
    return markets;
  }

  /** Which copy of its recording each book is. */
  int[] copies() {
    int[] copies = new int[names.length];
    for (int i = 0; i < copies.length; i++) {
      copies[i] = i / recordings.size();
    }
    return copies;
  }

  /**
   * Activity weights of a venue's books, busiest first: book k (from 0) weighs {@code 1 / (k + 1 +
   * offset)^exponent}, a Zipf-Mandelbrot law. The offset makes the first few books about equally
   * busy, as a venue's handful of majors are; the exponent sets how fast the tail quietens.
   */
  static double[] zipf(int books, double exponent, double offset) {
    double[] weights = new double[books];
    for (int k = 0; k < books; k++) {
      weights[k] = Math.pow(k + 1 + offset, -exponent);
    }
    return weights;
  }

  /**
   * Visits events as a venue with skewed activity delivers them. First every book starts, one after
   * the other, as lake syncs each book when it subscribes: its frames up to its snapshot, the
   * snapshot, and the frame after. Then books send in proportion to {@code weights}: in each round
   * a book earns its weight over the largest one in credit and sends one event per whole credit, so
   * the busiest book sends every round and events of different books interleave. A book whose
   * recording is done stops sending; until {@code stop} says so or every book is done.
   */
  void runSkewed(Visitor visitor, double[] weights, BooleanSupplier stop) {
    int books = names.length;
    int[] positions = new int[books];
    for (int book = 0; book < books && !stop.getAsBoolean(); book++) {
      Recording recording = recordings.get(book % recordings.size());
      while (positions[book] <= recording.snapshotAt()
          && positions[book] < recording.frames().size()) {
        positions[book] = next(visitor, book, recording, positions[book]);
      }
    }
    visitor.started();
    double largest = 0;
    for (double weight : weights) {
      largest = Math.max(largest, weight);
    }
    double[] credits = new double[books];
    boolean any = true;
    while (any && !stop.getAsBoolean()) {
      any = false;
      for (int book = 0; book < books; book++) {
        Recording recording = recordings.get(book % recordings.size());
        if (positions[book] >= recording.frames().size()) {
          continue;
        }
        any = true;
        credits[book] += weights[book] / largest;
        if (credits[book] >= 1) {
          credits[book] -= 1;
          positions[book] = next(visitor, book, recording, positions[book]);
        }
      }
    }
  }

  private static int next(Visitor visitor, int book, Recording recording, int position) {
    if (position == recording.snapshotAt()) {
      visitor.snapshot(book, recording.snapshot());
    }
    visitor.frame(book, recording.frames().get(position));
    return position + 1;
  }

  /** Visits events until every book's recording is done or {@code stop} says so. */
  void run(Visitor visitor, BooleanSupplier stop) {
    int books = names.length;
    int[] positions = new int[books];
    boolean any = true;
    while (any && !stop.getAsBoolean()) {
      any = false;
      for (int book = 0; book < books; book++) {
        Recording recording = recordings.get(book % recordings.size());
        int position = positions[book];
        if (position >= recording.frames().size()) {
          continue;
        }
        any = true;
        if (position == recording.snapshotAt()) {
          visitor.snapshot(book, recording.snapshot());
        }
        visitor.frame(book, recording.frames().get(position));
        positions[book] = position + 1;
      }
    }
  }
}
