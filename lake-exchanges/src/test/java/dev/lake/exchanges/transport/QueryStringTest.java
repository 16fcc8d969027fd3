package dev.lake.exchanges.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

class QueryStringTest {
  private static final URI DEPTH = URI.create("https://api.binance.com/api/v3/depth");

  @Test
  void everyCharacterThatMeansSomethingInAUrlIsPercentEncoded() {
    URI uri = QueryString.of("symbol", "ETH&limit=5000 /%+?#").and("limit", 100).appendTo(DEPTH);

    assertThat(uri.toString())
        .isEqualTo(
            "https://api.binance.com/api/v3/depth?symbol=ETH%26limit%3D5000%20%2F%25%2B%3F%23&limit=100");
  }

  @Test
  void lettersDigitsAndUnreservedMarksStayAsTheyAre() {
    assertThat(QueryString.of("symbol", "BTCUSDT_250926-a.b~c").toString())
        .isEqualTo("symbol=BTCUSDT_250926-a.b~c");
  }

  @Test
  void nonAsciiTextIsEncodedAsUtf8() {
    assertThat(QueryString.of("symbol", "币安人生USDT").toString())
        .isEqualTo("symbol=%E5%B8%81%E5%AE%89%E4%BA%BA%E7%94%9FUSDT");
  }

  @Test
  void aBaseUrlWithAQueryKeepsItAndGetsTheNewParametersAfterIt() {
    URI uri = QueryString.of("symbol", "BTCUSDT").appendTo(URI.create("http://h:81/x?a=b%26c#top"));

    assertThat(uri.toString()).isEqualTo("http://h:81/x?a=b%26c&symbol=BTCUSDT");
  }

  @Test
  void aParameterIsReadBackDecodedWithoutBeingSplitAtAnEncodedAmpersand() {
    URI uri = QueryString.of("symbol", "ETHUSDT&limit=5000 x").and("limit", 5).appendTo(DEPTH);

    assertThat(QueryString.parameter(uri, "symbol")).isEqualTo("ETHUSDT&limit=5000 x");
    assertThat(QueryString.parameter(uri, "limit")).isEqualTo("5");
    assertThat(QueryString.parameter(uri, "interval")).isNull();
    assertThat(QueryString.parameter(DEPTH, "symbol")).isNull();
  }

  @Test
  void aRelativeBaseUrlIsRefused() {
    assertThatThrownBy(() -> QueryString.of("symbol", "BTCUSDT").appendTo(URI.create("/depth")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid base URL: /depth (expected an absolute http:// or https:// URL)");
  }
}
