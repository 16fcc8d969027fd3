package dev.lake.core.write;

import org.apache.parquet.bytes.ByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.io.api.Binary;

/**
 * Dictionary encoders for the columns lake streams, writing exactly what parquet-java's own ({@link
 * DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter}) write, in less time per value: the
 * writer's hot path runs one of these per dictionary column per row.
 */
final class DictionaryWriters {
  private DictionaryWriters() {}

  /**
   * Text: exchange, market and symbol are the same within a file and a side repeats for a run of
   * rows, given as the same constant {@link Binary} each time; the last value's id is reused
   * without hashing its bytes again.
   */
  static final class Texts extends DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter {
    private Binary last;
    private int lastId;

    Texts(
        int maxDictionaryBytes,
        Encoding dataEncoding,
        Encoding dictionaryEncoding,
        ByteBufferAllocator allocator) {
      super(maxDictionaryBytes, dataEncoding, dictionaryEncoding, allocator);
    }

    @Override
    public void writeBytes(Binary value) {
      if (value == last) {
        encodedValues.add(lastId);
        return;
      }
      int id = binaryDictionaryContent.getInt(value);
      if (id == -1) {
        id = binaryDictionaryContent.size();
        binaryDictionaryContent.put(value.copy(), id);
        dictionaryByteSize += 4L + value.length();
      }
      encodedValues.add(id);
      // a reused buffer may hold other bytes next time: only constant values are remembered
      if (!value.isBackingBytesReused()) {
        last = value;
        lastId = id;
      }
    }

    @Override
    protected void clearDictionaryContent() {
      super.clearDictionaryContent();
      last = null;
    }
  }
}
