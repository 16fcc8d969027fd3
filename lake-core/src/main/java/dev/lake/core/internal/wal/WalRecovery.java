package dev.lake.core.internal.wal;

import java.util.List;

/**
 * What opening a write-ahead log found: the retained range and any damage that was cut off or
 * skipped (a torn tail after a power cut, a corrupt record).
 *
 * @param startPosition position of the oldest retained record
 * @param endPosition position after the newest intact record; new records follow it
 * @param records intact records found
 * @param damage one line per damaged region: segment, offset, bytes, and what was wrong
 * @param bytesLost bytes of the damaged regions
 */
public record WalRecovery(
    long startPosition, long endPosition, long records, List<String> damage, long bytesLost) {
  public WalRecovery {
    damage = List.copyOf(damage);
  }

  /** True when some bytes could not be read back. */
  public boolean damaged() {
    return !damage.isEmpty();
  }
}
