package dev.lake.exchanges.kucoin;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.Credentials;
import dev.lake.exchanges.transport.HmacSha256;
import dev.lake.exchanges.transport.RestRequest;
import dev.lake.exchanges.transport.RestRules;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Signs KuCoin's full-depth book request ({@code /api/v3/market/orderbook/level2}) as KuCoin's docs
 * describe for API keys of version 2: {@code KC-API-SIGN} = Base64 of HMAC-SHA256, keyed with the
 * secret's text, over {@code timestamp + method + path?query + body}; {@code KC-API-TIMESTAMP} the
 * request's epoch milliseconds (KuCoin accepts 5 s either side); {@code KC-API-PASSPHRASE} = Base64
 * of HMAC-SHA256 of the passphrase with the same key; {@code KC-API-KEY-VERSION: 2}. Every other
 * request goes unsigned: lake reads only public data besides this one. The signature is made just
 * before sending (after any wait for the request budget), so the timestamp is fresh. The secret
 * never leaves this class; the headers are never logged.
 */
final class KucoinSigner implements RestRules.RequestSigner {
  private final String key;
  private final byte[] secret;
  private final String passphrase;

  /**
   * @throws IllegalArgumentException when the credentials have no passphrase (KuCoin keys have one)
   */
  KucoinSigner(Credentials credentials) {
    requireNonNull(credentials, "credentials is null");
    if (credentials.passphrase() == null || credentials.passphrase().isEmpty()) {
      throw new IllegalArgumentException(
          "Invalid KuCoin credentials: no passphrase (expected key, secret and passphrase, the"
              + " passphrase chosen when the API key was created)");
    }
    this.key = credentials.key();
    this.secret = credentials.secret().getBytes(StandardCharsets.UTF_8);
    this.passphrase = sign(credentials.passphrase());
  }

  /** Whether a request is one lake signs: the full-depth spot book. */
  static boolean signed(URI uri) {
    return uri.getPath().endsWith(KucoinVenue.FULL_BOOK);
  }

  @Override
  public RestRequest sign(RestRequest request, long nowMillis) {
    URI uri = request.uri();
    if (!signed(uri)) {
      return request;
    }
    String timestamp = Long.toString(nowMillis);
    String endpoint = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    String body = request.body() == null ? "" : new String(request.body(), StandardCharsets.UTF_8);
    return request
        .withHeader("KC-API-KEY", key)
        .withHeader("KC-API-SIGN", sign(timestamp + request.method() + endpoint + body))
        .withHeader("KC-API-TIMESTAMP", timestamp)
        .withHeader("KC-API-PASSPHRASE", passphrase)
        .withHeader("KC-API-KEY-VERSION", "2");
  }

  private String sign(String text) {
    return HmacSha256.base64(secret, text, "a KuCoin request");
  }

  @Override
  public String toString() {
    return "KucoinSigner[key=****]";
  }
}
