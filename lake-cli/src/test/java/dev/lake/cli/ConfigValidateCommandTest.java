package dev.lake.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code lake config validate} on the symbols of a source: Binance's rule, checked offline. */
class ConfigValidateCommandTest {
  private static final String BINANCE_SYMBOL =
      "a Binance symbol: up to 20 upper-case letters and digits, e.g. BTCUSDT (BTCUSDT_250926 for"
          + " a quarterly future)";

  @TempDir Path folder;

  private CliRun validate(String yaml) throws IOException {
    Path file = folder.resolve("lake.yml");
    Files.writeString(file, yaml);
    return CliRun.run(folder, "config", "validate", "--config", file.toString());
  }

  private static String deltaSymbols(String market, String symbols) {
    return "source:\n  binance:\n    "
        + market
        + ":\n      orderbook:\n        delta: {symbols: "
        + symbols
        + "}\n";
  }

  @Test
  void theDataRootsPerExchangeAreShown() throws IOException {
    CliRun run =
        validate(
            deltaSymbols("spot", "[BTCUSDT]")
                + "sink:\n  warehouse: s3://lake-euw1/wh\n"
                + "  data_roots: {binance: s3://lake-apne1/, coinbase: s3://lake-use1/}\n");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("Data roots binance -> s3://lake-apne1/, coinbase -> s3://lake-use1/\n");
  }

  @Test
  void aSymbolWithUrlSyntaxIsAConfigErrorNamingItsPathItsValueAndBinancesRule() throws IOException {
    for (String symbol :
        List.of("ETHUSDT&limit=5000", "BTC=USDT", "BTC USDT", "BTC%26", "BTC/USDT")) {
      CliRun run = validate(deltaSymbols("spot", "[BTCUSDT, '" + symbol + "']"));

      assertThat(run.exitCode()).as(symbol).isEqualTo(ExitCodes.CONFIG);
      assertThat(run.err())
          .isEqualTo(
              "lake: Invalid config value at source.binance.spot.orderbook.delta.symbols[1]: \""
                  + symbol
                  + "\" (expected "
                  + BINANCE_SYMBOL
                  + ") in "
                  + folder.resolve("lake.yml")
                  + System.lineSeparator());
    }
  }

  @Test
  void aLowerCaseSymbolIsRefusedWithItsUpperCaseSpelling() throws IOException {
    CliRun run = validate(deltaSymbols("future", "[ethusdt]"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains(
            "Invalid config value at source.binance.future.orderbook.delta.symbols[0]: \"ethusdt\""
                + " (expected "
                + BINANCE_SYMBOL
                + "; Binance symbols are upper case: write ETHUSDT)");
  }

  @Test
  void aSymbolSetForTheWholeMarketIsCheckedAtItsOwnPath() throws IOException {
    CliRun run =
        validate(
            "source:\n  binance:\n    future:\n      symbols: [BTCUSDT, 'ETHUSDT&limit=5000']\n"
                + "      open_interest: {}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains(
            "Invalid config value at source.binance.future.symbols[1]: \"ETHUSDT&limit=5000\"");
  }

  @Test
  void aSymbolLongerThanBinanceAcceptsIsRefused() throws IOException {
    CliRun run = validate(deltaSymbols("spot", "[ABCDEFGHIJKLMNOPQRSTU]"));

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains("symbols[0]: \"ABCDEFGHIJKLMNOPQRSTU\" (expected " + BINANCE_SYMBOL + ")");
  }

  @Test
  void binancesRealSymbolFormsAreAccepted() throws IOException {
    CliRun run =
        validate(deltaSymbols("future", "[BTCUSDT, 1000PEPEUSDT, BTCUSDT_250926, 币安人生USDT]"));

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "binance future orderbook.delta <- wss://fstream.binance.com/public/ws for BTCUSDT,"
                + " 1000PEPEUSDT, BTCUSDT_250926, 币安人生USDT");
  }

  @Test
  void ingestRefusesTheSameSymbolBeforeConnectingAnywhere() throws IOException {
    Path file = folder.resolve("lake.yml");
    Files.writeString(file, deltaSymbols("spot", "['ETHUSDT&limit=5000']"));

    CliRun run = CliRun.run(folder, "ingest", "--config", file.toString(), "--duration", "2s");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains(
            "Invalid config value at source.binance.spot.orderbook.delta.symbols[0]:"
                + " \"ETHUSDT&limit=5000\"");
    assertThat(folder.resolve("wal")).doesNotExist();
  }

  @Test
  void theBybitExampleIsAcceptedWithEveryFeedOfBothMarkets() throws IOException {
    Path example = Path.of("..", "examples", "bybit.yml").toAbsolutePath().normalize();

    CliRun run = CliRun.run(folder, "config", "validate", "--config", example.toString());

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("bybit spot orderbook.delta <- wss://stream.bybit.com/v5/public/spot")
        .contains("bybit future funding_rate <- wss://stream.bybit.com/v5/public/linear")
        .contains("bybit future liquidation <- wss://stream.bybit.com/v5/public/linear");
  }

  @Test
  void aBookDepthBybitDoesNotOfferIsAConfigErrorNamingTheDepthsItDoes() throws IOException {
    CliRun run =
        validate(
            "source:\n  bybit:\n    future:\n      orderbook:\n"
                + "        delta: {depth: 500, symbols: [BTCUSDT]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains("source.bybit.future.orderbook.delta")
        .contains("depth 500 (expected one of 1, 50, 200, 1000: Bybit's book depths)");
  }

  @Test
  void theOkxExampleIsAccepted() {
    Path example = Path.of("..", "examples", "okx.yml").toAbsolutePath().normalize();

    CliRun run = CliRun.run(folder, "config", "validate", "--config", example.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void theCoinbaseExampleIsAcceptedWithItsIntxCredentialsSet() {
    Path example = Path.of("..", "examples", "coinbase.yml").toAbsolutePath().normalize();

    CliRun run =
        CliRun.run(
            folder,
            java.util.Map.of(
                "INTX_API_KEY", "key", "INTX_API_SECRET", "c2VjcmV0", "INTX_API_PASSPHRASE", "p"),
            "config",
            "validate",
            "--config",
            example.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void theCoinbaseExampleWithoutIntxCredentialsNamesTheVariableToSet() {
    Path example = Path.of("..", "examples", "coinbase.yml").toAbsolutePath().normalize();

    CliRun run = CliRun.run(folder, "config", "validate", "--config", example.toString());

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).contains("INTX_API_KEY");
  }

  @Test
  void coinbaseFutureWithoutCredentialsIsRefusedNamingTheKey() throws IOException {
    CliRun run =
        validate(
            "source:\n  coinbase:\n    future:\n      orderbook:\n"
                + "        delta: {symbols: [BTC-PERP]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).contains("credentials");
  }

  @Test
  void coinbaseLiquidationsAreRefusedAsNotPublished() throws IOException {
    CliRun run =
        validate(
            "source:\n  coinbase:\n    future:\n"
                + "      credentials: {key: k, secret: c2VjcmV0, passphrase: p}\n"
                + "      liquidation: {symbols: [BTC-PERP]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).contains("Coinbase publishes no liquidations");
  }

  @Test
  void aLowerCaseOkxInstrumentIsRefusedWithItsUpperCaseSpelling() throws IOException {
    CliRun run =
        validate(
            "source:\n  okx:\n    future:\n      orderbook:\n        delta: {symbols: [btc-usdt-swap]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains(
            "Invalid config value at source.okx.future.orderbook.delta.symbols[0]: \"btc-usdt-swap\""
                + " (expected an OKX SWAP or FUTURES instrument id in upper case, e.g. BTC-USDT-SWAP"
                + " or BTC-USD-250926; OKX instrument ids are upper case: write BTC-USDT-SWAP)");
  }

  @Test
  void theKucoinExampleIsAccepted() {
    Path example = Path.of("..", "examples", "kucoin.yml").toAbsolutePath().normalize();

    CliRun run = CliRun.run(folder, "config", "validate", "--config", example.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void kucoinLiquidationsAreRefusedSayingKucoinPublishesNone() throws IOException {
    CliRun run =
        validate("source:\n  kucoin:\n    future:\n      liquidation: {symbols: [XBTUSDTM]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err()).contains("KuCoin publishes no liquidations on spot or futures");
  }

  @Test
  void aKucoinStreamConfiguredWithAWebSocketUrlIsRefusedNamingTheBulletEndpoint()
      throws IOException {
    CliRun run =
        validate(
            "source:\n  kucoin:\n    spot:\n      trades:"
                + " {url: wss://ws-api-spot.kucoin.com/, symbols: [BTC-USDT]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains("source.kucoin.spot.trades")
        .contains("https://api.kucoin.com/api/v1/bullet-public");
  }

  @Test
  void theKrakenExampleIsAccepted() {
    Path example = Path.of("..", "examples", "kraken.yml").toAbsolutePath().normalize();

    CliRun run = CliRun.run(folder, "config", "validate", "--config", example.toString());

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
  }

  @Test
  void aKrakenV1PairNameIsRefusedWithItsV2Spelling() throws IOException {
    CliRun run =
        validate(
            "source:\n  kraken:\n    spot:\n      orderbook:\n        delta: {symbols: [XBT/USD]}\n");

    assertThat(run.exitCode()).isEqualTo(ExitCodes.CONFIG);
    assertThat(run.err())
        .contains("a Kraken WebSocket v2 pair, which writes bitcoin as BTC: write BTC/USD");
  }
}
