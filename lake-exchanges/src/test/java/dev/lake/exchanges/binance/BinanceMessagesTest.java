package dev.lake.exchanges.binance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.exchanges.book.BookMessage;
import dev.lake.exchanges.json.MessageException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BinanceMessagesTest {
  private static BinanceMessages.WsMessage parse(String json) {
    BinanceMessages.WsMessage message = new BinanceMessages.WsMessage();
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    BinanceMessages.parse(bytes, bytes.length, message);
    return message;
  }

  @Test
  void aSpotDepthEventIsReadExactly() {
    BinanceMessages.WsMessage message =
        parse(
            "{\"e\":\"depthUpdate\",\"E\":1723100000123,\"s\":\"BTCUSDT\",\"U\":4894301,\"u\":4894305,"
                + "\"b\":[[\"60000.01000000\",\"1.50000000\"],[\"59999.99000000\",\"0.00000000\"]],"
                + "\"a\":[[\"60000.02000000\",\"0.10000000\"]]}");
    assertThat(message.kind).isEqualTo(BinanceMessages.Kind.DEPTH);
    BookMessage depth = message.depth;
    assertThat(depth.symbol).isEqualTo("BTCUSDT");
    assertThat(depth.timestampMicros).isEqualTo(1723100000123L * 1000);
    assertThat(depth.firstId).isEqualTo(4894301);
    assertThat(depth.lastId).isEqualTo(4894305);
    assertThat(depth.prevId).isEqualTo(BookMessage.NONE);
    assertThat(depth.bids.count).isEqualTo(2);
    assertThat(depth.bids.prices[0]).isEqualTo(60000.01);
    assertThat(depth.bids.quantities[0]).isEqualTo(1.5);
    assertThat(depth.bids.quantities[1]).isZero();
    assertThat(depth.asks.count).isEqualTo(1);
    assertThat(depth.asks.prices[0]).isEqualTo(60000.02);
  }

  @Test
  void aCombinedFuturesDepthEventIsUnwrapped() {
    BinanceMessages.WsMessage message =
        parse(
            "{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":1723100000123,"
                + "\"T\":1723100000120,\"s\":\"BTCUSDT\",\"U\":5000,\"u\":5010,\"pu\":4990,"
                + "\"b\":[],\"a\":[[\"60000.1\",\"2\"]]}}");
    assertThat(message.kind).isEqualTo(BinanceMessages.Kind.DEPTH);
    assertThat(message.stream).isEqualTo("btcusdt@depth@100ms");
    assertThat(message.depthFields.transactionTime).isEqualTo(1723100000120L);
    assertThat(message.depth.prevId).isNotEqualTo(BookMessage.NONE);
    assertThat(message.depth.prevId).isEqualTo(4990);
    assertThat(message.depth.bids.count).isZero();
  }

  @Test
  void decimalTextIsParsedCorrectlyRounded() {
    BinanceMessages.WsMessage message =
        parse(
            "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1,\"u\":1,"
                + "\"b\":[[\"0.1\",\"0.30000000000000004\"],[\"123456789.123456789\",\"1e-8\"]],\"a\":[]}");
    assertThat(message.depth.bids.prices[0]).isEqualTo(Double.parseDouble("0.1"));
    assertThat(message.depth.bids.quantities[0])
        .isEqualTo(Double.parseDouble("0.30000000000000004"));
    assertThat(message.depth.bids.prices[1]).isEqualTo(Double.parseDouble("123456789.123456789"));
    assertThat(message.depth.bids.quantities[1]).isEqualTo(1e-8);
  }

  @Test
  void aLiquidationIsRead() {
    BinanceMessages.WsMessage message =
        parse(
            "{\"e\":\"forceOrder\",\"E\":1568014460893,\"o\":{\"s\":\"BTCUSDT\",\"S\":\"SELL\",\"o\":\"LIMIT\","
                + "\"f\":\"IOC\",\"q\":\"0.014\",\"p\":\"9910\",\"ap\":\"9910\",\"X\":\"FILLED\",\"l\":\"0.014\","
                + "\"z\":\"0.014\",\"T\":1568014460893}}");
    assertThat(message.kind).isEqualTo(BinanceMessages.Kind.FORCE_ORDER);
    assertThat(message.forceOrder.symbol).isEqualTo("BTCUSDT");
    assertThat(message.forceOrder.side).isEqualTo("SELL");
    assertThat(message.forceOrder.price).isEqualTo(9910.0);
    assertThat(message.forceOrder.quantity).isEqualTo(0.014);
    assertThat(message.forceOrder.tradeTime).isEqualTo(1568014460893L);
  }

  @Test
  void repliesAndErrorsAreRecognised() {
    assertThat(parse("{\"result\":null,\"id\":1}").kind).isEqualTo(BinanceMessages.Kind.REPLY);
    BinanceMessages.WsMessage error =
        parse("{\"error\":{\"code\":2,\"msg\":\"Invalid request\"},\"id\":3}");
    assertThat(error.kind).isEqualTo(BinanceMessages.Kind.ERROR);
    assertThat(error.error).isEqualTo("code=2, msg=Invalid request");
    assertThat(parse("{\"e\":\"aggTrade\",\"E\":1}").kind).isEqualTo(BinanceMessages.Kind.OTHER);
  }

  @Test
  void malformedMessagesNameWhatIsWrong() {
    assertThatThrownBy(() -> parse("{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1"))
        .isInstanceOf(MessageException.class)
        .hasMessageStartingWith("invalid JSON: ");
    assertThatThrownBy(() -> parse("[1,2]")).hasMessage("not a JSON object");
    assertThatThrownBy(
            () -> parse("{\"e\":\"depthUpdate\",\"E\":1,\"U\":1,\"u\":2,\"b\":[],\"a\":[]}"))
        .hasMessage("depthUpdate without s (symbol)");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":5,\"u\":2,\"b\":[],\"a\":[]}"))
        .hasMessage("depthUpdate with U 5 > u 2");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":\"one\",\"u\":2,\"b\":[],\"a\":[]}"))
        .hasMessage("U is not an integer: \"one\"");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"b\":[[\"abc\",\"1\"]],\"a\":[]}"))
        .hasMessage("price is not a number: \"abc\"");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"b\":[[\"1\",\"-1\"]],\"a\":[]}"))
        .hasMessage("negative quantity -1");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"b\":[[\"1e999\",\"1\"]],\"a\":[]}"))
        .hasMessage("price is out of range: 1e999");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"b\":[[\"NaN\",\"1\"]],\"a\":[]}"))
        .isInstanceOf(MessageException.class);
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"depthUpdate\",\"E\":1,\"s\":\"X\",\"U\":1,\"u\":2,\"b\":[[\"1\",\"2\",\"3\"]],\"a\":[]}"))
        .hasMessage("a price level has more than price and quantity");
    assertThatThrownBy(
            () ->
                parse(
                    "{\"e\":\"forceOrder\",\"E\":1,\"o\":{\"s\":\"X\",\"S\":\"HOLD\",\"p\":\"1\",\"q\":\"1\",\"T\":5}}"))
        .hasMessage("forceOrder with unknown side o.S \"HOLD\" (expected BUY or SELL)");
  }
}
