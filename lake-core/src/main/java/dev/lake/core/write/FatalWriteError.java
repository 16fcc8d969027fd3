package dev.lake.core.write;

import static java.util.Objects.requireNonNull;

/**
 * An error that retrying cannot cure, which stopped a {@link LakeWriter}'s commits (see {@link
 * LakeWriter#fatalError()}). Every row the writer accepted stays in its write-ahead log; a writer
 * opened on the same log after the cause is put right commits them.
 *
 * @param kind what went wrong, for a caller that says what to do about it
 * @param action what the writer could not do, e.g. "commit to table crypto.orderbook_delta"
 * @param reason the cause in plain words, e.g. "the table was dropped"
 * @param cause the error as thrown
 */
public record FatalWriteError(Kind kind, String action, String reason, Throwable cause) {
  /** The kinds of fatal error. */
  public enum Kind {
    /** The table no longer exists in the catalog. */
    TABLE_DROPPED,
    /** The table's schema or metadata does not take lake's rows. */
    SCHEMA_INCOMPATIBLE,
    /** The catalog or storage refused the credentials. */
    AUTHENTICATION_REFUSED,
    /** The credentials are valid but may not do what the writer needs. */
    PERMISSION_DENIED
  }

  public FatalWriteError {
    requireNonNull(kind, "kind is null");
    requireNonNull(action, "action is null");
    requireNonNull(reason, "reason is null");
    requireNonNull(cause, "cause is null");
  }

  /**
   * "Cannot commit to table crypto.orderbook_delta: the table was dropped (NoSuchTableException:
   * ...)".
   */
  public String message() {
    return "Cannot "
        + action
        + ": "
        + reason
        + " ("
        + cause.getClass().getSimpleName()
        + ": "
        + cause.getMessage()
        + ")";
  }
}
