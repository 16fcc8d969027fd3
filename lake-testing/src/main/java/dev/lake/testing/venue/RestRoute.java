package dev.lake.testing.venue;

/** Answers the REST requests of one method and path. Called on the server's event loops. */
@FunctionalInterface
public interface RestRoute {
  /**
   * The answer to a request. An exception becomes a 500 answer naming it, so a broken fake shows up
   * in the test that uses it.
   */
  Answer answer(Request request);
}
