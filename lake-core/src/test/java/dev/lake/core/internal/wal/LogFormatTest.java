package dev.lake.core.internal.wal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestRows;
import dev.lake.core.model.LakeRow;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFormatTest {
  private static final String SEGMENT = "segment-00000000000000000000.wal";
  private static final int TRADES = 7;

  @TempDir Path folder;

  private static List<LakeRow> roundTrip(List<LakeRow> rows) {
    ByteSink sink = new ByteSink(64);
    sink.reset(0);
    RowCodec.encode(rows, sink);
    ByteBuffer payload = sink.buffer().flip();
    return RowCodec.decode(new ByteSource(payload), true);
  }

  /** A record as the log frames it: magic, payload length, CRC-32C, payload. */
  private static byte[] record(Consumer<ByteSink> payload) {
    ByteSink sink = new ByteSink(64);
    sink.reset(WriteAheadLog.HEADER_BYTES);
    sink.beginRecord();
    payload.accept(sink);
    ByteBuffer buffer = sink.buffer();
    int length = buffer.position() - WriteAheadLog.HEADER_BYTES;
    CRC32C crc = new CRC32C();
    crc.update(buffer.array(), WriteAheadLog.HEADER_BYTES, length);
    buffer.order(ByteOrder.LITTLE_ENDIAN);
    buffer.putInt(0, WriteAheadLog.MAGIC).putInt(4, length).putInt(8, (int) crc.getValue());
    byte[] bytes = new byte[buffer.position()];
    buffer.flip().get(bytes);
    return bytes;
  }

  /** A trades row in format 2, its side written as {@code sideCode}. */
  private static void trade(ByteSink out, int sideCode) {
    out.writeByte(RowCodec.FORMAT_VERSION);
    out.writeVarLong(1);
    out.writeByte(TRADES);
    out.writeVarLong(9);
    out.writeString("binance");
    out.writeByte(1);
    out.writeString("BTCUSDT");
    out.writeString("42");
    out.writeByte(sideCode);
    out.writeDouble(60000);
    out.writeDouble(0.5);
    out.writeVarLong(TestRows.BASE_MS * 1000);
    out.writeVarLong(250);
  }

  private void writeSegment(byte[]... records) throws IOException {
    ByteBuffer all = ByteBuffer.allocate(1 << 16);
    for (byte[] record : records) {
      all.put(record);
    }
    Files.write(folder.resolve(SEGMENT), java.util.Arrays.copyOf(all.array(), all.position()));
  }

  private List<List<LakeRow>> replay() {
    List<List<LakeRow>> records = new ArrayList<>();
    try (WriteAheadLog log = WriteAheadLog.open(folder, 1 << 20)) {
      log.replay(log.startPosition(), log.endPosition(), (start, end, rows) -> records.add(rows));
    }
    return records;
  }

  @Test
  void everyRowTypeWithEveryEnumConstantSurvivesTheCodec() {
    assertThat(roundTrip(LogFixtures.everyRowType()))
        .containsExactlyElementsOf(LogFixtures.everyRowType());
  }

  @Test
  void aRecordWrittenByHandInFormatTwoReadsAsItsRow() throws IOException {
    writeSegment(record(out -> trade(out, 2)));

    assertThat(replay())
        .singleElement()
        .asList()
        .singleElement()
        .hasToString(
            "Trade[exchange=binance, marketType=spot, symbol=BTCUSDT, tradeId=42, side=sell,"
                + " price=60000.0, quantity=0.5, timestampMicros=1754398800000000,"
                + " localTimestampMicros=1754398800000250]");
  }

  @Test
  void aRecordOfAnUnknownFormatVersionIsRefusedNamingTheFileTheOffsetAndTheVersion()
      throws IOException {
    byte[] first = record(out -> trade(out, 1));
    writeSegment(
        first,
        record(
            out -> {
              out.writeByte(9);
              out.writeVarLong(0);
            }));

    assertThatThrownBy(this::replay)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot read write-ahead log segment "
                + folder.resolve(SEGMENT)
                + ": the record at offset "
                + first.length
                + " is unreadable: Invalid format version: 9 (expected 1 or 2; a later release of"
                + " lake wrote it)");
  }

  @Test
  void anUnknownEnumCodeIsRefusedNamingTheFileTheOffsetAndTheCode() throws IOException {
    byte[] first = record(out -> trade(out, 1));
    writeSegment(first, record(out -> trade(out, 3)));

    assertThatThrownBy(this::replay)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Cannot read write-ahead log segment "
                + folder.resolve(SEGMENT)
                + ": the record at offset "
                + first.length
                + " is unreadable: Invalid code of trades.side: 3 (expected one of 1 buy, 2"
                + " sell)");
  }

  @Test
  void rowsWithMoreColumnsThanThisReleaseKnowsAreRefused() throws IOException {
    writeSegment(
        record(
            out -> {
              out.writeByte(RowCodec.FORMAT_VERSION);
              out.writeVarLong(1);
              out.writeByte(TRADES);
              out.writeVarLong(10);
            }));

    assertThatThrownBy(this::replay)
        .hasMessageEndingWith(
            "is unreadable: Invalid column count of trades: 10 (expected 1 to 9; more were"
                + " written by a later release of lake)");
  }

  @Test
  void rowsWrittenBeforeARequiredColumnExistedAreRefused() throws IOException {
    writeSegment(
        record(
            out -> {
              out.writeByte(RowCodec.FORMAT_VERSION);
              out.writeVarLong(1);
              out.writeByte(TRADES);
              out.writeVarLong(3);
              out.writeString("binance");
              out.writeByte(1);
              out.writeString("BTCUSDT");
            }));

    assertThatThrownBy(this::replay)
        .hasMessageEndingWith(
            "is unreadable: Cannot read a row of trades: it was written before its required column"
                + " trade_id existed");
  }

  @Test
  void anUnknownRowTypeIsRefused() throws IOException {
    writeSegment(
        record(
            out -> {
              out.writeByte(RowCodec.FORMAT_VERSION);
              out.writeVarLong(1);
              out.writeByte(60);
            }));

    assertThatThrownBy(this::replay)
        .hasMessageEndingWith(
            "is unreadable: Invalid row type code: 60 (expected one of 0 orderbook_snapshot, 1"
                + " orderbook_delta, 2 contracts, 3 liquidation, 4 open_interest, 5 funding_rate,"
                + " 6 stream_events, 7 trades)");
  }
}
