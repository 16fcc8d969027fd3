package dev.lake.exchanges.json;

/** A venue message that cannot be used; the message says what is wrong with it. */
public class MessageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public MessageException(String message) {
    super(message);
  }

  public MessageException(String message, Throwable cause) {
    super(message, cause);
  }
}
