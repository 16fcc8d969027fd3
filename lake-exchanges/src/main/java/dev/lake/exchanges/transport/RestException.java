package dev.lake.exchanges.transport;

/** A REST request that did not succeed: an HTTP error status, a rate limit, or no answer. */
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

  /** True for 429 and 418 answers. */
  public boolean rateLimited() {
    return rateLimited;
  }
}
