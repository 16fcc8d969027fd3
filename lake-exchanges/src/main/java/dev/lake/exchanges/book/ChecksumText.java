package dev.lake.exchanges.book;

import java.util.Arrays;
import java.util.zip.CRC32;

/**
 * The text a venue's book checksum is computed over, built in a reused buffer (prices and
 * quantities are ASCII) so that verifying a checksum on every message allocates nothing. One per
 * thread: {@link #start()} gives the calling thread's, emptied.
 */
public final class ChecksumText {
  private static final ThreadLocal<ChecksumText> LOCAL = ThreadLocal.withInitial(ChecksumText::new);

  private final CRC32 crc = new CRC32();
  private byte[] bytes = new byte[1024];
  private int length;

  private ChecksumText() {}

  /** The calling thread's text, empty. */
  public static ChecksumText start() {
    ChecksumText text = LOCAL.get();
    text.length = 0;
    return text;
  }

  /** Whether nothing was added since {@link #start()}. */
  public boolean isEmpty() {
    return length == 0;
  }

  /** Adds a character (ASCII). */
  public void put(char c) {
    if (length == bytes.length) {
      bytes = Arrays.copyOf(bytes, bytes.length * 2);
    }
    bytes[length++] = (byte) c;
  }

  /** Adds a text (ASCII). */
  public void put(String text) {
    for (int i = 0; i < text.length(); i++) {
      put(text.charAt(i));
    }
  }

  /** The CRC-32 of the text, unsigned. */
  public long crc32() {
    crc.reset();
    crc.update(bytes, 0, length);
    return crc.getValue();
  }
}
