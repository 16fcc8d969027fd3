package dev.lake.testing.venue;

/**
 * Builds a venue's answer to a REST request that a test scripted to fail ({@link
 * FakeExchangeServer#failNext}): the venue's error body for the status. The server adds the {@code
 * Retry-After} header when the test gave one and the answer has none.
 */
@FunctionalInterface
public interface FailureAnswer {
  /**
   * The answer to a failed request.
   *
   * @param status the status the test asked for, 400 to 599
   * @param retryAfterSeconds the {@code Retry-After} the test asked for, or null for none
   */
  Answer answer(Request request, int status, Integer retryAfterSeconds);
}
