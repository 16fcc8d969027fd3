package dev.lake.benchmarks;

import java.nio.ByteBuffer;
import java.util.AbstractList;
import java.util.List;

/**
 * Frames kept outside the Java heap, as a network source keeps them (Netty reads into direct
 * buffers), so that the benchmark's input does not count against the heap it measures. Each {@link
 * #get} hands out a fresh copy, as a frame decoder would.
 */
final class OffHeapFrames extends AbstractList<byte[]> {
  private final ByteBuffer data;
  private final int[] offsets;

  OffHeapFrames(List<byte[]> frames) {
    long total = 0;
    for (byte[] frame : frames) {
      total += frame.length;
    }
    if (total > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("Recording too large: " + total + " bytes");
    }
    this.data = ByteBuffer.allocateDirect((int) total);
    this.offsets = new int[frames.size() + 1];
    for (int i = 0; i < frames.size(); i++) {
      data.put(frames.get(i));
      offsets[i + 1] = data.position();
    }
  }

  @Override
  public byte[] get(int index) {
    byte[] frame = new byte[offsets[index + 1] - offsets[index]];
    data.get(offsets[index], frame);
    return frame;
  }

  @Override
  public int size() {
    return offsets.length - 1;
  }
}
