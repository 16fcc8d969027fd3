package dev.lake.benchmarks;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.HashMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.api.WriteSupport;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.io.api.RecordConsumer;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/** What a user could pick instead, on the same rows: parquet-java directly, DuckDB, gzip CSV. */
final class Baselines {
  private static final MessageType SCHEMA =
      MessageTypeParser.parseMessageType(
          "message orderbook_delta {"
              + " required binary exchange (STRING); required binary market (STRING); required binary symbol (STRING);"
              + " required int64 timestamp (TIMESTAMP(MICROS,true)); required int64 last_update_id;"
              + " required binary side (STRING); required double price; required double quantity; required int32 level;"
              + " required int64 local_timestamp (TIMESTAMP(MICROS,true)); optional int64 first_update_id;"
              + " optional int64 prev_update_id; required boolean is_snapshot; }");

  private Baselines() {}

  /** parquet-java, snappy, one file, no Iceberg and no log: the ceiling for writing. */
  static Result parquetFloor(RowColumns rows, Path folder) throws IOException {
    Path file = folder.resolve("floor.parquet");
    Files.deleteIfExists(file);
    Measure measure = new Measure();
    try (ParquetWriter<Integer> writer =
        new Builder(new LocalOutputFile(file), rows)
            .withCompressionCodec(CompressionCodecName.SNAPPY)
            .withWriteMode(ParquetFileWriter.Mode.OVERWRITE)
            .withConf(new Configuration())
            .build()) {
      for (int i = 0; i < rows.size; i++) {
        writer.write(i);
      }
    }
    double seconds = measure.seconds();
    double cpu = measure.cpuSeconds();
    measure.stop();
    return new Result("Parquet floor")
        .put("rows", rows.size)
        .put("seconds", seconds)
        .put("cpu_seconds", cpu)
        .put("file_bytes", Files.size(file))
        .put("peak_heap_after_gc", measure.peakHeapAfterGc());
  }

  private static final class Builder extends ParquetWriter.Builder<Integer, Builder> {
    private final RowColumns rows;

    Builder(org.apache.parquet.io.OutputFile file, RowColumns rows) {
      super(file);
      this.rows = rows;
    }

    @Override
    protected Builder self() {
      return this;
    }

    @Override
    protected WriteSupport<Integer> getWriteSupport(Configuration conf) {
      return new DeltaWriteSupport(rows);
    }
  }

  private static final class DeltaWriteSupport extends WriteSupport<Integer> {
    private final RowColumns rows;
    private final Binary exchange = Binary.fromString("binance");
    private final Binary bid = Binary.fromString("bid");
    private final Binary ask = Binary.fromString("ask");
    private final Binary[] symbols;
    private final Binary[] markets;
    private RecordConsumer out;

    DeltaWriteSupport(RowColumns rows) {
      this.rows = rows;
      this.symbols = new Binary[rows.symbols.length];
      this.markets = new Binary[rows.symbols.length];
      for (int i = 0; i < symbols.length; i++) {
        symbols[i] = Binary.fromString(rows.symbols[i]);
        markets[i] = Binary.fromString(rows.markets[i]);
      }
    }

    @Override
    public WriteContext init(Configuration configuration) {
      return new WriteContext(SCHEMA, new HashMap<>());
    }

    @Override
    public void prepareForWrite(RecordConsumer recordConsumer) {
      this.out = recordConsumer;
    }

    @Override
    public void write(Integer index) {
      int i = index;
      out.startMessage();
      binary(0, "exchange", exchange);
      binary(1, "market", markets[rows.symbol[i]]);
      binary(2, "symbol", symbols[rows.symbol[i]]);
      int64(3, "timestamp", rows.timestamp[i]);
      int64(4, "last_update_id", rows.lastUpdateId[i]);
      binary(5, "side", rows.bid[i] ? bid : ask);
      out.startField("price", 6);
      out.addDouble(rows.price[i]);
      out.endField("price", 6);
      out.startField("quantity", 7);
      out.addDouble(rows.quantity[i]);
      out.endField("quantity", 7);
      out.startField("level", 8);
      out.addInteger(rows.level[i]);
      out.endField("level", 8);
      int64(9, "local_timestamp", rows.local[i]);
      if (rows.first[i] != RowColumns.NONE) {
        int64(10, "first_update_id", rows.first[i]);
      }
      if (rows.previous[i] != RowColumns.NONE) {
        int64(11, "prev_update_id", rows.previous[i]);
      }
      out.startField("is_snapshot", 12);
      out.addBoolean(rows.snapshot[i]);
      out.endField("is_snapshot", 12);
      out.endMessage();
    }

    private void binary(int index, String name, Binary value) {
      out.startField(name, index);
      out.addBinary(value);
      out.endField(name, index);
    }

    private void int64(int index, String name, long value) {
      out.startField(name, index);
      out.addLong(value);
      out.endField(name, index);
    }
  }

  /**
   * DuckDB: rows appended through its JDBC appender, then COPY to snappy Parquet, Hive-partitioned
   * like lake.
   */
  static Result duckDb(RowColumns rows, Path folder) throws Exception {
    Path out = folder.resolve("duckdb");
    deleteTree(out);
    Measure measure = new Measure();
    try (Connection connection = DriverManager.getConnection("jdbc:duckdb:");
        Statement statement = connection.createStatement()) {
      statement.execute(
          "CREATE TABLE d (exchange VARCHAR, market VARCHAR, symbol VARCHAR, ts BIGINT, last_update_id BIGINT,"
              + " side VARCHAR, price DOUBLE, quantity DOUBLE, level INTEGER, local_ts BIGINT,"
              + " first_update_id BIGINT, prev_update_id BIGINT, is_snapshot BOOLEAN)");
      try (DuckDBAppender appender =
          ((DuckDBConnection) connection).createAppender(DuckDBConnection.DEFAULT_SCHEMA, "d")) {
        for (int i = 0; i < rows.size; i++) {
          appender.beginRow();
          appender.append("binance");
          appender.append(rows.markets[rows.symbol[i]]);
          appender.append(rows.symbols[rows.symbol[i]]);
          appender.append(rows.timestamp[i]);
          appender.append(rows.lastUpdateId[i]);
          appender.append(rows.bid[i] ? "bid" : "ask");
          appender.append(rows.price[i]);
          appender.append(rows.quantity[i]);
          appender.append(rows.level[i]);
          appender.append(rows.local[i]);
          if (rows.first[i] == RowColumns.NONE) {
            appender.appendNull();
          } else {
            appender.append(rows.first[i]);
          }
          if (rows.previous[i] == RowColumns.NONE) {
            appender.appendNull();
          } else {
            appender.append(rows.previous[i]);
          }
          appender.append(rows.snapshot[i]);
          appender.endRow();
        }
      }
      statement.execute(
          "COPY (SELECT exchange, market, symbol, make_timestamp(ts) AS timestamp, last_update_id, side, price,"
              + " quantity, level, make_timestamp(local_ts) AS local_timestamp, first_update_id, prev_update_id,"
              + " is_snapshot FROM d) TO '"
              + out
              + "' (FORMAT PARQUET, COMPRESSION SNAPPY, PARTITION_BY (exchange, market, symbol))");
    }
    double seconds = measure.seconds();
    double cpu = measure.cpuSeconds();
    measure.stop();
    return new Result("DuckDB")
        .put("rows", rows.size)
        .put("seconds", seconds)
        .put("cpu_seconds", cpu)
        .put("file_bytes", treeBytes(out));
  }

  /** gzip CSV, the format of the best-known commercial tick archive: for size. */
  static Result csvGzip(RowColumns rows, Path folder) throws IOException {
    Path file = folder.resolve("deltas.csv.gz");
    Measure measure = new Measure();
    try (BufferedWriter writer =
        new BufferedWriter(
            new OutputStreamWriter(
                new GZIPOutputStream(Files.newOutputStream(file), 1 << 16), StandardCharsets.UTF_8),
            1 << 16)) {
      writer.write(
          "exchange,market,symbol,timestamp,local_timestamp,last_update_id,first_update_id,prev_update_id,is_snapshot,side,level,price,amount\n");
      StringBuilder line = new StringBuilder(128);
      for (int i = 0; i < rows.size; i++) {
        line.setLength(0);
        line.append("binance,")
            .append(rows.markets[rows.symbol[i]])
            .append(',')
            .append(rows.symbols[rows.symbol[i]])
            .append(',')
            .append(rows.timestamp[i])
            .append(',')
            .append(rows.local[i])
            .append(',')
            .append(rows.lastUpdateId[i])
            .append(',');
        if (rows.first[i] != RowColumns.NONE) {
          line.append(rows.first[i]);
        }
        line.append(',');
        if (rows.previous[i] != RowColumns.NONE) {
          line.append(rows.previous[i]);
        }
        line.append(',')
            .append(rows.snapshot[i])
            .append(',')
            .append(rows.bid[i] ? "bid" : "ask")
            .append(',')
            .append(rows.level[i])
            .append(',')
            .append(rows.price[i])
            .append(',')
            .append(rows.quantity[i])
            .append('\n');
        writer.append(line);
      }
    }
    double seconds = measure.seconds();
    double cpu = measure.cpuSeconds();
    measure.stop();
    return new Result("CSV.gz")
        .put("rows", rows.size)
        .put("seconds", seconds)
        .put("cpu_seconds", cpu)
        .put("file_bytes", Files.size(file));
  }

  static long treeBytes(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().endsWith(".parquet"))
          .mapToLong(p -> p.toFile().length())
          .sum();
    }
  }

  static void deleteTree(Path folder) throws IOException {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> files = Files.walk(folder)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
