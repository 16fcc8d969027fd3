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
