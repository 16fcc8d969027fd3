package dev.lake.core.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.lake.core.TestRows;
import dev.lake.core.model.BookSide;
import dev.lake.core.model.LakeRow;
import dev.lake.core.model.MarketType;
import dev.lake.core.model.OpenInterest;
import dev.lake.core.model.SnapshotSource;
import dev.lake.core.model.StoredEnum;
import dev.lake.core.model.StreamEventType;
import dev.lake.core.model.TradeSide;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class TableDefinitionTest {
  @Test
  void theCodesOfEveryStoredEnumAreTheOnesWrittenLogsHold() {
    List<String> codes = new ArrayList<>();
    Stream.of(
            MarketType.values(),
            BookSide.values(),
            TradeSide.values(),
            SnapshotSource.values(),
            StreamEventType.values())
        .flatMap(Stream::of)
        .forEach(constant -> codes.add(constant.text() + "=" + ((StoredEnum) constant).code()));

    assertThat(codes)
        .containsExactly(
            "spot=1",
            "future=2",
            "bid=1",
            "ask=2",
            "buy=1",
            "sell=2",
            "rest=1",
            "book=2",
            "connect=1",
            "disconnect=2",
            "gap=3",
            "resync=4",
            "checksum_mismatch=5",
            "rejected_message=6",
            "rate_limited=7",
            "dropped=8",
            "restart_gap=9",
            "wal_truncated=10");
  }

  @Test
  void aRowIsMadeBackFromItsStoredColumnsValues() {
    for (LakeRow row : TestRows.oneOfEach()) {
      assertThat(remade(LakeTables.of(row), row)).isEqualTo(row);
    }
  }

  private static <R extends LakeRow> R remade(TableDefinition<R> definition, R row) {
    Object[] fields = new Object[definition.storedColumns().size()];
    for (ColumnDefinition<R> column : definition.storedColumns()) {
      var component = definition.rowType().getRecordComponents()[column.fieldIndex()];
      try {
        fields[column.fieldIndex()] = component.getAccessor().invoke(row);
      } catch (ReflectiveOperationException e) {
        throw new AssertionError(e);
      }
    }
    return definition.newRow(fields);
  }

  @Test
  void aRecordComponentNoColumnStoresIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                TableDefinition.builder(OpenInterest.TABLE, OpenInterest.class, 4, "doc")
                    .requiredText("exchange", OpenInterest::exchange, "doc")
                    .requiredEnum("market_type", MarketType.class, OpenInterest::marketType, "doc")
                    .requiredText("symbol", OpenInterest::symbol, "doc")
                    .requiredDouble("open_interest", OpenInterest::openInterest, "doc")
                    .requiredLong("timestamp_ms", OpenInterest::timestampMs, "doc")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Invalid definition of table open_interest: no column stores"
                + " OpenInterest.localTimestampMicros (expected one column per record component)");
  }

  @Test
  void aColumnStoringAComponentOfAnotherTypeIsRefusedNamingIt() {
    assertThatThrownBy(
            () ->
                TableDefinition.builder(OpenInterest.TABLE, OpenInterest.class, 4, "doc")
                    .requiredLong("open_interest", row -> 1L, "doc")
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "Invalid definition of table open_interest: column open_interest (LONG) stores"
                + " OpenInterest.openInterest of a type it cannot hold (expected one column per"
                + " record component, of a matching kind)");
  }
}
