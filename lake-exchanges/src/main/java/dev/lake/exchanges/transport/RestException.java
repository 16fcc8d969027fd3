package dev.lake.exchanges.transport;

/**
 * A REST request that did not succeed: an HTTP error status, an error in the body, a rate limit, or
 * no answer.
 */
public class RestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final boolean rateLimited;

  public RestException(String message, int status, boolean rateLimited, Throwable cause) {
    super(message, cause);
    this.status = status;
    this.rateLimited = rateLimited;
  }

  /** The HTTP status, or 0 when there was no answer. */
  public int status() {
    return status;
  }

  /** True for the answers the venue's rules call a rate limit (Binance: 429 and 418). */
  public boolean rateLimited() {
    return rateLimited;
  }
}
