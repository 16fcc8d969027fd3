package dev.lake.exchanges.transport;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Base64 of HMAC-SHA256, the signature of the venues that sign requests (Coinbase INTX, KuCoin).
 * The key is never part of a message this class makes.
 */
public final class HmacSha256 {
  private HmacSha256() {}

  /**
   * Signs a text.
   *
   * @param key the secret's bytes, as the venue keys its HMAC (INTX: Base64-decoded, KuCoin: the
   *     secret's UTF-8 text)
   * @param text what is signed, as UTF-8
   * @param what what is being signed, for the message of a failure, e.g. {@code "an INTX
   *     subscription"}
   * @return the Base64 (standard alphabet, padded) of the 32-byte HMAC
   */
  public static String base64(byte[] key, String text, String what) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("Cannot sign " + what + ": " + e.getMessage(), e);
    }
  }
}
