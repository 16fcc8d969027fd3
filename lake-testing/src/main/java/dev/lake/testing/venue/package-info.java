/**
 * A scripted fake exchange server for tests, shared by every venue fake: one Netty server on
 * loopback with REST routes and WebSocket endpoints, and faults a test scripts per endpoint or
 * connection (drop, duplicate, garble, reorder, stall, disconnect, error answers). A venue fake
 * ({@code dev.lake.testing.binance.FakeBinance}, and one package per further venue) plugs in only
 * its wire format: its routes, its subscribe, acknowledge and keepalive dialogue ({@link
 * dev.lake.testing.venue.WebSocketSession}) and its message builders. Entry point: {@link
 * dev.lake.testing.venue.FakeExchangeServer}.
 *
 * <p>Nothing here depends on production code: books, ids and checksums of a fake are computed by
 * the fake itself, so a test compares the production code against an independent implementation.
 */
package dev.lake.testing.venue;
