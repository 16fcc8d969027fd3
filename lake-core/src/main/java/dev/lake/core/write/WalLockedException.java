package dev.lake.core.write;

/** Thrown when a write-ahead log folder is already used by another writer. */
public class WalLockedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public WalLockedException(String message) {
    super(message);
  }
}
