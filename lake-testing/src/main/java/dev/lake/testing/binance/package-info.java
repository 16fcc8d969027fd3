/**
 * A fake Binance (spot and USD-M futures) for tests: a Netty server on loopback that speaks
 * Binance's public market-data REST and WebSocket protocol over plain HTTP and {@code ws://}, keeps
 * a real order book per symbol, and can be told to drop, repeat or garble messages, fail requests
 * and cut connections. Entry point: {@link dev.lake.testing.binance.FakeBinance}.
 */
package dev.lake.testing.binance;
