/**
 * A fake Bybit v5 (spot and linear) for tests: a Netty server on loopback that speaks Bybit's
 * public market-data REST and WebSocket protocol over plain HTTP and {@code ws://}, keeps a real
 * order book per symbol with Bybit's ids ({@code u} + 1 a message, {@code seq}), and can be told to
 * drop, repeat or garble messages, restart a book, rate-limit requests and cut connections.
 * Computed independently of lake's production code. Entry point: {@link
 * dev.lake.testing.bybit.FakeBybit}.
 */
package dev.lake.testing.bybit;
