package dev.lake.exchanges;

import static java.util.Objects.requireNonNull;

/**
 * API credentials of one venue market, for venues that sign even public market-data requests
 * (Coinbase INTX). Read from the configuration's {@code ${ENV}} variables; {@link #toString()}
 * never shows them, so they cannot reach a log line or an error message through it.
 *
 * @param key the API key
 * @param secret the API secret
 * @param passphrase the API passphrase, or null where the venue has none
 */
public record Credentials(String key, String secret, String passphrase) {
  public Credentials {
    requireNonNull(key, "key is null");
    requireNonNull(secret, "secret is null");
  }

  @Override
  public String toString() {
    return "Credentials[key=****, secret=****"
        + (passphrase == null ? "" : ", passphrase=****")
        + "]";
  }
}
