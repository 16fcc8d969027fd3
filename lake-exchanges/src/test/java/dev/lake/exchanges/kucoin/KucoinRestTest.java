package dev.lake.exchanges.kucoin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.exchanges.transport.RestException;
import org.junit.jupiter.api.Test;

/** How KuCoin's refusals of a signed request are told from other failures. */
class KucoinRestTest {
  @Test
  void anHttp401WithKucoinsCodeNamesTheCodeAndWhatToFix() {
    RestException refused =
        new RestException(
            "HTTP 401 for http://h/api/v3/market/orderbook/level2?symbol=BTC-USDT:"
                + " {\"code\":\"400002\",\"msg\":\"KC-API-TIMESTAMP Invalid\"}",
            401,
            false,
            null);

    assertThat(KucoinRest.refusal(refused))
        .isEqualTo(
            "HTTP 401, code 400002: the timestamp is more than 5 s from KuCoin's clock: set this"
                + " machine's clock");
  }

  @Test
  void aFailureThatIsNoRefusalIsNoneThoughItsUrlHoldsACodeLikeNumber() {
    RestException unreachable =
        new RestException(
            "Cannot GET http://h/api/v3/market/orderbook/level2?symbol=400005-USDT: connection"
                + " refused",
            0,
            false,
            null);

    assertThat(KucoinRest.refusal(unreachable)).isNull();
  }
}
