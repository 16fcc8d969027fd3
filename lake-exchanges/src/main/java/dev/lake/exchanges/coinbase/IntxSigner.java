package dev.lake.exchanges.coinbase;

import static java.util.Objects.requireNonNull;

import dev.lake.exchanges.Credentials;
import dev.lake.exchanges.transport.HmacSha256;
import java.util.Base64;

/**
 * Signs INTX WebSocket subscriptions, as Coinbase's International Exchange docs describe: {@code
 * signature} = Base64 of HMAC-SHA256, keyed with the Base64-decoded API secret, over {@code time +
 * key + "CBINTLMD" + passphrase}, where {@code time} is the request's epoch seconds (accepted
 * within 30 s). The credentials never leave this class except inside a subscribe frame.
 */
final class IntxSigner {
  private final Credentials credentials;
  private final byte[] secret;

  IntxSigner(Credentials credentials) {
    this.credentials = requireNonNull(credentials, "credentials is null");
    try {
      this.secret = Base64.getDecoder().decode(credentials.secret());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "Invalid INTX API secret: not Base64 (expected the secret as Coinbase issued it)");
    }
  }

  /** The signature fields of a request at {@code epochSeconds}, as JSON members after a comma. */
  String fields(long epochSeconds) {
    String time = Long.toString(epochSeconds);
    String passphrase = credentials.passphrase() == null ? "" : credentials.passphrase();
    return "\"time\":\""
        + time
        + "\",\"key\":\""
        + credentials.key()
        + "\",\"passphrase\":\""
        + passphrase
        + "\",\"signature\":\""
        + sign(time + credentials.key() + "CBINTLMD" + passphrase)
        + "\"";
  }

  private String sign(String text) {
    return HmacSha256.base64(secret, text, "an INTX subscription");
  }
}
