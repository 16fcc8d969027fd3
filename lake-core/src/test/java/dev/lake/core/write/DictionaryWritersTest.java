package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.values.ValuesWriter;
import org.apache.parquet.column.values.dictionary.DictionaryValuesWriter;
import org.apache.parquet.column.values.fallback.FallbackValuesWriter;
import org.apache.parquet.column.values.plain.PlainValuesWriter;
import org.apache.parquet.io.api.Binary;
import org.junit.jupiter.api.Test;

/**
 * lake's text dictionary writes the very bytes parquet-java's writes: pages, encodings, the
 * dictionary page, and the fall-back to plain when the dictionary fills.
 */
class DictionaryWritersTest {
  private static final HeapByteBufferAllocator ALLOCATOR = new HeapByteBufferAllocator();
  private static final int PAGE_VALUES = 1000;

  @Test
  void constantTextsGiveTheSamePagesAndDictionaryAsParquetJava() throws Exception {
    Binary[] texts = texts(20_000);

    assertThat(
            written(
                new DictionaryWriters.Texts(
                    64 * 1024, dataEncoding(), dictionaryEncoding(), ALLOCATOR),
                texts))
        .isEqualTo(
            written(
                new DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter(
                    64 * 1024, dataEncoding(), dictionaryEncoding(), ALLOCATOR),
                texts));
  }

  @Test
  void aReusedTextBufferIsReadAgainAtEveryValue() throws Exception {
    byte[] buffer = "BTCUSDT".getBytes(StandardCharsets.US_ASCII);
    Binary reused = Binary.fromReusedByteArray(buffer);
    List<String> ours = new ArrayList<>();
    List<String> theirs = new ArrayList<>();
    for (List<String> pages : List.of(ours, theirs)) {
      ValuesWriter writer =
          pages == ours
              ? dictionaryWithFallback(
                  new DictionaryWriters.Texts(
                      64 * 1024, dataEncoding(), dictionaryEncoding(), ALLOCATOR))
              : dictionaryWithFallback(
                  new DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter(
                      64 * 1024, dataEncoding(), dictionaryEncoding(), ALLOCATOR));
      for (int i = 0; i < 10; i++) {
        buffer[0] = (byte) ('A' + i % 3);
        writer.writeBytes(reused);
      }
      pages.addAll(drain(writer));
    }

    assertThat(ours).isEqualTo(theirs);
  }

  @Test
  void textsPastTheDictionaryLimitFallBackToPlainAsParquetJavaDoes() throws Exception {
    Binary[] texts = texts(20_000);

    List<String> ours =
        written(
            new DictionaryWriters.Texts(256, dataEncoding(), dictionaryEncoding(), ALLOCATOR),
            texts);

    assertThat(ours).anyMatch(page -> page.startsWith("PLAIN "));
    assertThat(ours)
        .isEqualTo(
            written(
                new DictionaryValuesWriter.PlainBinaryDictionaryValuesWriter(
                    256, dataEncoding(), dictionaryEncoding(), ALLOCATOR),
                texts));
  }

  /** A file's constant exchange and symbol, and sides in runs, as constant binaries. */
  private static Binary[] texts(int count) {
    Random random = new Random(13);
    Binary[] constants = new Binary[40];
    for (int i = 0; i < constants.length; i++) {
      constants[i] = Binary.fromConstantByteArray(("SYMBOL" + i).getBytes(StandardCharsets.UTF_8));
    }
    Binary[] texts = new Binary[count];
    for (int i = 0; i < count; i++) {
      texts[i] = constants[(i / (1 + random.nextInt(30))) % constants.length];
    }
    return texts;
  }

  private static List<String> written(DictionaryValuesWriter dictionary, Binary[] values)
      throws Exception {
    return written(dictionary, values.length, (writer, i) -> writer.writeBytes(values[i]));
  }

  /** Every page's encoding and bytes, then the dictionary page's, as a column writer asks. */
  private static List<String> written(
      DictionaryValuesWriter dictionary, int count, BiConsumer<ValuesWriter, Integer> write)
      throws Exception {
    ValuesWriter writer = dictionaryWithFallback(dictionary);
    List<String> pages = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      write.accept(writer, i);
      if ((i + 1) % PAGE_VALUES == 0) {
        pages.add(page(writer));
      }
    }
    pages.addAll(drain(writer));
    return pages;
  }

  /** The open page's encoding and bytes; the writer starts a new page. */
  private static String page(ValuesWriter writer) throws Exception {
    String page = writer.getEncoding() + " " + hex(writer.getBytes().toByteArray());
    writer.reset();
    return page;
  }

  /** The open page, then the dictionary page as written at the end of a column chunk. */
  private static List<String> drain(ValuesWriter writer) throws Exception {
    List<String> pages = new ArrayList<>();
    pages.add(page(writer));
    DictionaryPage dictionary = writer.toDictPageAndClose();
    pages.add(
        dictionary == null
            ? "no dictionary"
            : "dictionary "
                + dictionary.getDictionarySize()
                + " "
                + dictionary.getEncoding()
                + " "
                + hex(dictionary.getBytes().toByteArray()));
    return pages;
  }

  private static ValuesWriter dictionaryWithFallback(DictionaryValuesWriter dictionary) {
    return FallbackValuesWriter.of(dictionary, new PlainValuesWriter(1024, 64 * 1024, ALLOCATOR));
  }

  private static Encoding dataEncoding() {
    return Encoding.PLAIN_DICTIONARY;
  }

  private static Encoding dictionaryEncoding() {
    return Encoding.PLAIN_DICTIONARY;
  }

  private static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length * 2);
    for (byte b : bytes) {
      out.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return out.toString();
  }
}
