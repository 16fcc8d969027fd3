package dev.lake.testing.binance;

import java.util.List;

/** A book's id and best levels as REST depth shows them ({@code [price, quantity]} texts). */
record BookSnapshot(long lastUpdateId, List<String[]> bids, List<String[]> asks) {}
