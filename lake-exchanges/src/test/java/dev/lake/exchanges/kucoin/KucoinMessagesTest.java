package dev.lake.exchanges.kucoin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.exchanges.json.MessageException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** KuCoin frames the fake does not send: malformed futures changes, reused texts. */
class KucoinMessagesTest {
  private static KucoinMessages.WsMessage parse(KucoinMessages.WsMessage into, String text) {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    KucoinMessages.parse(bytes, bytes.length, into);
    return into;
  }

  private static String level2(String change) {
    return "{\"type\":\"message\",\"topic\":\"/contractMarket/level2:XBTUSDTM\",\"subject\":"
        + "\"level2\",\"data\":{\"sequence\":7,\"change\":\""
        + change
        + "\",\"timestamp\":1}}";
  }

  @Test
  void aFuturesChangeWithAnUnknownSideIsRejectedQuotingIt() {
    assertThatThrownBy(() -> parse(new KucoinMessages.WsMessage(), level2("100.5,hold,3")))
        .isInstanceOf(MessageException.class)
        .hasMessage(
            "level2 change \"100.5,hold,3\" (expected \"price,side,size\" with side buy or sell)");
  }

  @Test
  void aFuturesChangeWhosePriceIsNotANumberIsRejectedQuotingIt() {
    assertThatThrownBy(() -> parse(new KucoinMessages.WsMessage(), level2("abc,buy,3")))
        .isInstanceOf(MessageException.class)
        .hasMessageContaining("\"abc,buy,3\"");
  }

  @Test
  void aFuturesChangeReadsItsPriceSideAndSizeAndTheSymbolIsReusedAcrossFrames() {
    KucoinMessages.WsMessage message = new KucoinMessages.WsMessage();
    parse(message, level2("2.0E-4,sell,12"));
    String symbol = message.book.symbol;

    assertThat(message.book.asks.prices[0]).isEqualTo(0.0002);
    assertThat(message.book.asks.quantities[0]).isEqualTo(12);
    assertThat(parse(message, level2("1,buy,0")).book.symbol).isSameAs(symbol);
    assertThat(message.book.bids.count).isEqualTo(1);
  }
}
