package dev.lake.core.maintenance;

import static java.util.Objects.requireNonNull;

import dev.lake.core.model.LakeRow;
import dev.lake.core.read.TableRows;
import dev.lake.core.table.LakeTables;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import dev.lake.core.write.DataFileWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.ExpireSnapshots;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.RewriteFiles;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.SnapshotSummary;
import org.apache.iceberg.SortField;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PropertyUtil;
import org.apache.iceberg.util.SnapshotUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rewrites small data files into files near the target size, per partition, with rows in the
 * table's sort order (symbol, timestamp; stable, so rows of equal keys keep their order).
 *
 * <p>Groups (a partition's small files, up to {@link Builder#maxGroupRows} rows) are rewritten on a
 * small pool of threads ({@link Builder#threads}) while the rows they hold together stay within
 * that same limit, and committed a batch at a time ({@link Builder#groupsPerCommit}) as a rewrite
 * validated from the snapshot they were planned on: appends made meanwhile (by a running {@code
 * lake ingest}) are kept and never wait for the compaction; a table's groups take at most {@link
 * Builder#maxCommits} commits. When a batch conflicts with another change, its groups are committed
 * one by one, so that a group whose files another compaction replaced first fails cleanly and the
 * others go on. Before a group is committed, the rows handed to the writer must be exactly the rows
 * read (count and an order-independent checksum), and the new files' footers, read back from
 * storage, must hold the old files' rows, and per column the same value and null counts and the
 * same lower and upper bounds; otherwise that group is not committed. When the commits leave the
 * table with many manifests, they are rewritten after ({@link Builder#rewriteManifestsAbove}).
 * Partitions still being written (the current hour, or day for daily tables) are left alone unless
 * asked. A dry run plans and reports without writing anything.
 *
 * <p>The files a compaction replaces stay on storage while an older snapshot references them, so
 * that an Iceberg reader which planned on such a snapshot can finish; meanwhile readers of plain
 * Parquet by path see the old files beside the new ones, and count those rows twice. {@link
 * #removeReplacedFiles()} deletes them once the grace ({@link Builder#replacedFilesGrace}, default
 * {@link #DEFAULT_GRACE}) has passed since the commit that replaced them, by expiring the snapshots
 * older than that commit: the metadata never references a missing file, and the write positions
 * {@code lake ingest} resumes from (table properties) are kept. Time travel to before a compaction
 * ends with that removal. {@link #run()} leaves the removal to the caller.
 *
 * <p>Not thread-safe; run one compaction per instance. Several compactions (processes) may run at
 * once on the same tables.
 */
public final class Compaction {
  private static final Logger LOG = LoggerFactory.getLogger(Compaction.class);
  private static final DateTimeFormatter FILE_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);
  private static final AtomicLong FILE_COUNTER = new AtomicLong();
  // Two compacting processes (a cron job per shard, say) can write to one partition within the
  // same second with the same counter: a part of this process's own keeps their names apart, as
  // an existing file would be overwritten.
  private static final String PROCESS_TAG = UUID.randomUUID().toString().substring(0, 8);
  private static final AtomicLong THREAD_COUNTER = new AtomicLong();

  private static final ThreadFactory COMPACTION_THREADS =
      runnable -> {
        Thread thread = new Thread(runnable, "lake-compaction-" + THREAD_COUNTER.incrementAndGet());
        thread.setDaemon(true);
        return thread;
      };

  /** Groups committed together by default. */
  public static final int DEFAULT_GROUPS_PER_COMMIT = 100;

  /** Commits a table's compaction is spread over at most, by default. */
  public static final int DEFAULT_MAX_COMMITS = 10;

  /** Manifests above which a compaction rewrites them after, by default. */
  public static final int DEFAULT_MANIFESTS_TO_REWRITE = 50;

  /** Snapshot summary key and value that mark lake's compaction commits. */
  static final String OPERATION = "lake.operation";

  static final String COMPACTION = "compaction";

  /**
   * How long replaced files stay by default: longer than a query planned on the snapshot before a
   * compaction is expected to keep reading.
   */
  public static final Duration DEFAULT_GRACE = Duration.ofMinutes(2);

  private final TableManager tables;
  private final List<TableDefinition<?>> definitions;
  private final Expression filter;
  private final Long targetFileBytes;
  private final Long smallFileBytes;
  private final int minInputFiles;
  private final long maxGroupRows;
  private final boolean includeCurrent;
  private final boolean dryRun;
  private final CompactionListener listener;
  private final Clock clock;
  private final Duration grace;
  private final int threads;
  private final int groupsPerCommit;
  private final int maxCommits;
  private final int manifestsToRewrite;

  private Compaction(Builder builder) {
    this.tables = builder.tables;
    this.definitions = List.copyOf(builder.definitions);
    this.filter = builder.filter;
    this.targetFileBytes = builder.targetFileBytes;
    this.smallFileBytes = builder.smallFileBytes;
    this.minInputFiles = builder.minInputFiles;
    this.maxGroupRows = builder.maxGroupRows;
    this.includeCurrent = builder.includeCurrent;
    this.dryRun = builder.dryRun;
    this.listener = builder.listener;
    this.clock = builder.clock;
    this.grace = builder.grace;
    this.threads = builder.threads;
    this.groupsPerCommit = builder.groupsPerCommit;
    this.maxCommits = builder.maxCommits;
    this.manifestsToRewrite = builder.manifestsToRewrite;
  }

  public static Builder builder(TableManager tables) {
    return new Builder(tables);
  }

  /** Compacts every chosen table; never throws for a failed group (see the result). */
  public CompactionResult run() {
    List<CompactionResult.TableResult> results = new ArrayList<>();
    for (TableDefinition<?> definition : definitions) {
      if (tables.exists(definition)) {
        results.add(compact(definition, tables.load(definition)));
      }
    }
    return new CompactionResult(results);
  }

  /**
   * The files that compactions of the chosen tables replaced and that are still on storage, one
   * entry per table that has any, whether their grace has passed or not. Changes nothing.
   */
  public List<ReplacedFiles> replacedFiles() {
    List<ReplacedFiles> result = new ArrayList<>();
    for (TableDefinition<?> definition : definitions) {
      if (tables.exists(definition)) {
        List<Snapshot> pending = replacingCommits(tables.load(definition));
        if (!pending.isEmpty()) {
          result.add(replaced(definition, pending));
        }
      }
    }
    return result;
  }

  /**
   * Deletes the files replaced by compactions whose grace has passed, in each chosen table: expires
   * every snapshot before the newest such compaction commit, and Iceberg's snapshot expiry deletes
   * the files no remaining snapshot references. Snapshots committed since, and files replaced by
   * compactions still in their grace, stay for a later call. In a dry run, reports what it would
   * delete and changes nothing.
   *
   * <p>A failed commit (another process changed the table each time Iceberg retried) throws; the
   * files then stay and a later call or {@code lake maintain} removes them. Files whose deletion
   * fails are logged by Iceberg and left as orphans for {@link Maintenance#removeOrphanFiles}.
   *
   * @return one entry per table whose replaced files were deleted (or would be, in a dry run)
   */
  public List<ReplacedFiles> removeReplacedFiles() {
    List<ReplacedFiles> result = new ArrayList<>();
    long cutoff = clock.millis() - grace.toMillis();
    for (TableDefinition<?> definition : definitions) {
      if (!tables.exists(definition)) {
        continue;
      }
      Table table = tables.load(definition);
      List<Snapshot> due =
          replacingCommits(table).stream()
              .filter(snapshot -> snapshot.timestampMillis() <= cutoff)
              .toList();
      if (due.isEmpty()) {
        continue;
      }
      ReplacedFiles removed = replaced(definition, due);
      if (!dryRun) {
        expireBefore(table, newest(due));
        LOG.info(
            "Removed {} data files of {} replaced by {} compactions before snapshot {}",
            removed.files(),
            table.name(),
            removed.compactions(),
            newest(due).snapshotId());
      }
      result.add(removed);
    }
    return result;
  }

  /**
   * Expires the snapshots before a compaction commit (its ancestors, and any snapshot older) and
   * deletes the files only they reference. The snapshots are named because that makes Iceberg find
   * those files by reachability: its default, incremental cleanup deletes only the files an expired
   * snapshot removed, and the compaction commit, which removed them, stays.
   */
  private static void expireBefore(Table table, Snapshot compaction) {
    ExpireSnapshots expire =
        table
            .expireSnapshots()
            .expireOlderThan(compaction.timestampMillis())
            .retainLast(1)
            .cleanExpiredFiles(true);
    Set<Long> before = new HashSet<>();
    for (Snapshot ancestor : SnapshotUtil.ancestorsOf(compaction.parentId(), table::snapshot)) {
      before.add(ancestor.snapshotId());
    }
    for (Snapshot snapshot : table.snapshots()) {
      if (snapshot.timestampMillis() < compaction.timestampMillis()) {
        before.add(snapshot.snapshotId());
      }
    }
    before.remove(table.currentSnapshot().snapshotId());
    before.forEach(expire::expireSnapshotId);
    expire.commit();
  }

  /**
   * The compaction commits whose replaced files an older snapshot still references: those whose
   * parent is still in the table's history.
   */
  private static List<Snapshot> replacingCommits(Table table) {
    List<Snapshot> commits = new ArrayList<>();
    for (Snapshot snapshot : table.snapshots()) {
      Map<String, String> summary = snapshot.summary();
      if (summary != null
          && COMPACTION.equals(summary.get(OPERATION))
          && snapshot.parentId() != null
          && table.snapshot(snapshot.parentId()) != null) {
        commits.add(snapshot);
      }
    }
    return commits;
  }

  private ReplacedFiles replaced(TableDefinition<?> definition, List<Snapshot> commits) {
    long files = 0;
    long bytes = 0;
    for (Snapshot commit : commits) {
      files += total(commit, SnapshotSummary.DELETED_FILES_PROP);
      bytes += total(commit, SnapshotSummary.REMOVED_FILE_SIZE_PROP);
    }
    Instant removableAt = Instant.ofEpochMilli(newest(commits).timestampMillis()).plus(grace);
    return new ReplacedFiles(definition.name(), files, bytes, commits.size(), removableAt);
  }

  private static Snapshot newest(List<Snapshot> snapshots) {
    return snapshots.stream()
        .max(Comparator.comparingLong(Snapshot::timestampMillis))
        .orElseThrow();
  }

  private record Group(
      String partitionPath, PartitionSpec spec, StructLike partition, List<DataFile> files) {
    long bytes() {
      return files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    }

    long rows() {
      return files.stream().mapToLong(DataFile::recordCount).sum();
    }
  }

  private CompactionResult.TableResult compact(TableDefinition<?> definition, Table table) {
    table.refresh();
    Snapshot snapshot = table.currentSnapshot();
    long filesBefore = total(snapshot, SnapshotSummary.TOTAL_DATA_FILES_PROP);
    long bytesBefore = total(snapshot, SnapshotSummary.TOTAL_FILE_SIZE_PROP);
    if (snapshot == null) {
      listener.planned(definition.name(), 0, 0);
      return new CompactionResult.TableResult(
          definition.name(), 0, 0, 0, 0, 0, 0, 0, 0, List.of(), 0, 0);
    }
    long target =
        targetFileBytes != null
            ? targetFileBytes
            : PropertyUtil.propertyAsLong(
                table.properties(),
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES,
                TableProperties.WRITE_TARGET_FILE_SIZE_BYTES_DEFAULT);
    long small = smallFileBytes != null ? smallFileBytes : target / 4;
    Skipped skipped = new Skipped();
    List<Group> groups = plan(table, snapshot, target, small, skipped);
    listener.planned(
        definition.name(), groups.size(), groups.stream().mapToLong(Group::bytes).sum());
    Outcome outcome = new Outcome(definition.name());
    if (dryRun) {
      groups.forEach(group -> outcome.add(dryRunResult(group)));
    } else if (!groups.isEmpty()) {
      rewriteAll(definition, table, snapshot, groups, target, outcome);
      rewriteManifestsIfMany(table);
    }
    table.refresh();
    Snapshot after = table.currentSnapshot();
    return new CompactionResult.TableResult(
        definition.name(),
        groups.size(),
        outcome.committed,
        outcome.failures.size(),
        outcome.conflicted,
        filesBefore,
        total(after, SnapshotSummary.TOTAL_DATA_FILES_PROP),
        bytesBefore,
        total(after, SnapshotSummary.TOTAL_FILE_SIZE_PROP),
        outcome.failures,
        skipped.files,
        skipped.partitions.size());
  }

  private static long total(Snapshot snapshot, String property) {
    if (snapshot == null || snapshot.summary() == null) {
      return 0;
    }
    return Long.parseLong(snapshot.summary().getOrDefault(property, "0"));
  }

  private static CompactionListener.GroupResult dryRunResult(Group group) {
    long rows = group.files().stream().mapToLong(DataFile::recordCount).sum();
    return new CompactionListener.GroupResult(
        group.partitionPath(), group.files().size(), 0, group.bytes(), 0, rows, false, null, false);
  }

  // ------------------------------------------------------------------ planning

  /** Files of current partitions left alone by planning, so that the caller can say so. */
  private static final class Skipped {
    long files;
    final java.util.Set<String> partitions = new java.util.HashSet<>();
  }

  private List<Group> plan(
      Table table, Snapshot snapshot, long target, long small, Skipped skipped) {
    Map<String, List<DataFile>> byPartition = new LinkedHashMap<>();
    Map<String, PartitionSpec> specs = new LinkedHashMap<>();
    try (CloseableIterable<FileScanTask> tasks =
        table
            .newScan()
            .useSnapshot(snapshot.snapshotId())
            .filter(filter)
            .includeColumnStats()
            .planFiles()) {
      for (FileScanTask task : tasks) {
        DataFile file = task.file();
        PartitionSpec spec = table.specs().get(file.specId());
        if (!includeCurrent && isCurrent(spec, file.partition())) {
          skipped.files++;
          skipped.partitions.add(file.specId() + ":" + spec.partitionToPath(file.partition()));
          continue;
        }
        String key = file.specId() + ":" + spec.partitionToPath(file.partition());
        byPartition.computeIfAbsent(key, k -> new ArrayList<>()).add(file.copy());
        specs.put(key, spec);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot plan " + table.name(), e);
    }
    int timeField = table.schema().findField(TableDefinition.TIME_COLUMN).fieldId();
    List<Group> groups = new ArrayList<>();
    for (Map.Entry<String, List<DataFile>> entry : byPartition.entrySet()) {
      List<DataFile> candidates = new ArrayList<>();
      for (DataFile file : entry.getValue()) {
        if (file.fileSizeInBytes() < small) {
          candidates.add(file);
        }
      }
      if (candidates.size() < minInputFiles) {
        continue;
      }
      candidates.sort(Comparator.comparingLong(file -> lowerBound(file, timeField)));
      PartitionSpec spec = specs.get(entry.getKey());
      String path = spec.partitionToPath(candidates.get(0).partition());
      List<DataFile> current = new ArrayList<>();
      long bytes = 0;
      long rows = 0;
      for (DataFile file : candidates) {
        boolean full =
            bytes + file.fileSizeInBytes() > target || rows + file.recordCount() > maxGroupRows;
        if (!current.isEmpty() && full) {
          addGroup(groups, path, spec, current);
          current = new ArrayList<>();
          bytes = 0;
          rows = 0;
        }
        current.add(file);
        bytes += file.fileSizeInBytes();
        rows += file.recordCount();
      }
      addGroup(groups, path, spec, current);
    }
    return groups;
  }

  private void addGroup(List<Group> groups, String path, PartitionSpec spec, List<DataFile> files) {
    if (files.size() >= Math.max(2, minInputFiles)) {
      groups.add(new Group(path, spec, files.get(0).partition(), files));
    }
  }

  private static long lowerBound(DataFile file, int fieldId) {
    Map<Integer, ByteBuffer> bounds = file.lowerBounds();
    ByteBuffer bound = bounds == null ? null : bounds.get(fieldId);
    return bound == null
        ? Long.MIN_VALUE
        : (Long) Conversions.fromByteBuffer(Types.TimestampType.withZone(), bound);
  }

  /** True when a partition's time value is the current hour (or day) or later. */
  private boolean isCurrent(PartitionSpec spec, StructLike partition) {
    List<PartitionField> fields = spec.fields();
    long now = clock.millis();
    for (int i = 0; i < fields.size(); i++) {
      String transform = fields.get(i).transform().toString();
      if (!"hour".equals(transform) && !"day".equals(transform)) {
        continue;
      }
      Integer value = partition.get(i, Integer.class);
      if (value == null) {
        continue;
      }
      if ("hour".equals(transform) && value >= now / 3_600_000L) {
        return true;
      }
      if ("day".equals(transform) && value >= now / 86_400_000L) {
        return true;
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ rewriting

  /** Tallies the groups' outcomes of one table and tells the listener, on the calling thread. */
  private final class Outcome {
    private final String table;
    int committed;
    int conflicted;
    final List<String> failures = new ArrayList<>();

    Outcome(String table) {
      this.table = table;
    }

    void add(CompactionListener.GroupResult result) {
      if (result.committed()) {
        committed++;
      } else if (result.failure() != null) {
        failures.add(result.partition() + ": " + result.failure());
        conflicted += result.conflicted() ? 1 : 0;
      }
      listener.groupDone(table, result);
    }
  }

  /**
   * A group rewritten and verified but not committed yet: the files written, or why it failed (its
   * files then deleted already).
   */
  private record Rewritten(
      Group group, List<DataFile> written, long rows, RuntimeException failure) {}

  /**
   * Rewrites the groups on a small pool of threads and commits them {@code groupsPerCommit} at a
   * time, as Iceberg's rewrite action does with partial progress: fewer commits mean fewer metadata
   * versions and fewer validations against every commit since the plan. Groups are started in plan
   * order while the rows held by the groups in flight stay within {@code maxGroupRows}, so running
   * several at once needs no more heap than one full group; a group of more rows than that runs
   * alone.
   */
  private void rewriteAll(
      TableDefinition<?> definition,
      Table table,
      Snapshot snapshot,
      List<Group> groups,
      long target,
      Outcome outcome) {
    int budget = (int) Math.min(Integer.MAX_VALUE, maxGroupRows);
    Semaphore rows = new Semaphore(budget);
    ExecutorService pool = Executors.newFixedThreadPool(threads, COMPACTION_THREADS);
    CompletionService<Rewritten> done = new ExecutorCompletionService<>(pool);
    List<Rewritten> batch = new ArrayList<>();
    int perCommit = Math.max(groupsPerCommit, (groups.size() + maxCommits - 1) / maxCommits);
    int inFlight = 0;
    try {
      for (Group group : groups) {
        int permits = (int) Math.min(budget, Math.max(1, group.rows()));
        while (!rows.tryAcquire(permits)) {
          collect(take(done), batch, perCommit, table, snapshot, outcome);
          inFlight--;
        }
        done.submit(
            () -> {
              try {
                return rewrite(definition, table, group, target);
              } finally {
                rows.release(permits);
              }
            });
        inFlight++;
        for (Future<Rewritten> ready = done.poll(); ready != null; ready = done.poll()) {
          collect(ready, batch, perCommit, table, snapshot, outcome);
          inFlight--;
        }
      }
      for (; inFlight > 0; inFlight--) {
        collect(take(done), batch, perCommit, table, snapshot, outcome);
      }
      commit(batch, table, snapshot, outcome);
    } finally {
      pool.shutdownNow();
    }
  }

  private static Future<Rewritten> take(CompletionService<Rewritten> done) {
    try {
      return done.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot finish the compaction: interrupted", e);
    }
  }

  private void collect(
      Future<Rewritten> ready,
      List<Rewritten> batch,
      int perCommit,
      Table table,
      Snapshot snapshot,
      Outcome outcome) {
    Rewritten rewritten;
    try {
      rewritten = ready.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Cannot finish the compaction: interrupted", e);
    } catch (ExecutionException e) {
      // rewrite() returns its failures; anything else is a bug worth its stack trace
      throw new IllegalStateException("Cannot rewrite a group of " + table.name(), e.getCause());
    }
    if (rewritten.failure() != null) {
      outcome.add(failed(table, rewritten, rewritten.failure()));
      return;
    }
    batch.add(rewritten);
    if (batch.size() >= perCommit) {
      commit(batch, table, snapshot, outcome);
    }
  }

  /**
   * Commits the batch as one rewrite validated from the planned snapshot. When another change
   * conflicts with it, each group is committed on its own, so that only the groups whose files
   * changed fail.
   */
  private void commit(List<Rewritten> batch, Table table, Snapshot snapshot, Outcome outcome) {
    if (batch.isEmpty()) {
      return;
    }
    try {
      commitRewrite(batch, table, snapshot);
      batch.forEach(rewritten -> outcome.add(committed(table, rewritten)));
    } catch (RuntimeException e) {
      if (batch.size() > 1 && isConflict(e)) {
        LOG.debug(
            "A batch of {} groups of {} conflicted ({}); committing them one by one",
            batch.size(),
            table.name(),
            e.getClass().getSimpleName());
        for (Rewritten rewritten : batch) {
          commit(new ArrayList<>(List.of(rewritten)), table, snapshot, outcome);
        }
      } else {
        batch.forEach(rewritten -> outcome.add(failed(table, rewritten, e)));
      }
    }
    batch.clear();
  }

  private static void commitRewrite(List<Rewritten> batch, Table table, Snapshot snapshot) {
    RewriteFiles rewrite = table.newRewrite().validateFromSnapshot(snapshot.snapshotId());
    for (Rewritten rewritten : batch) {
      rewritten.group().files().forEach(rewrite::deleteFile);
      rewritten.written().forEach(rewrite::addFile);
    }
    rewrite.set(OPERATION, COMPACTION).commit();
  }

  private static CompactionListener.GroupResult committed(Table table, Rewritten rewritten) {
    Group group = rewritten.group();
    LOG.debug(
        "Compacted {} files into {} in {} {}",
        group.files().size(),
        rewritten.written().size(),
        table.name(),
        group.partitionPath());
    return new CompactionListener.GroupResult(
        group.partitionPath(),
        group.files().size(),
        rewritten.written().size(),
        group.bytes(),
        rewritten.written().stream().mapToLong(DataFile::fileSizeInBytes).sum(),
        rewritten.rows(),
        true,
        null,
        false);
  }

  private static CompactionListener.GroupResult failed(
      Table table, Rewritten rewritten, RuntimeException e) {
    Group group = rewritten.group();
    deleteQuietly(table, rewritten.written());
    String failure = describe(e);
    LOG.warn(
        "Compaction of {} {} failed, files left as they were: {}",
        table.name(),
        group.partitionPath(),
        failure);
    return new CompactionListener.GroupResult(
        group.partitionPath(),
        group.files().size(),
        0,
        group.bytes(),
        0,
        0,
        false,
        failure,
        isConflict(e));
  }

  private static void deleteQuietly(Table table, List<DataFile> files) {
    for (DataFile file : files) {
      try {
        table.io().deleteFile(file.location());
      } catch (RuntimeException cleanup) {
        LOG.debug("Cannot delete {}: {}", file.location(), cleanup.toString());
      }
    }
  }

  /**
   * Reads, sorts, writes and verifies one group, on a pool thread; returns its files, or its
   * failure with whatever it wrote deleted.
   */
  private Rewritten rewrite(TableDefinition<?> definition, Table table, Group group, long target) {
    List<DataFile> written = new ArrayList<>();
    try {
      RowChecksum input = new RowChecksum();
      List<Record> rows = new ArrayList<>();
      for (DataFile file : group.files()) {
        read(
            table,
            file,
            record -> {
              input.add(record);
              rows.add(record);
            });
      }
      rows.sort(sortOrder(table.schema(), table));
      RowChecksum output = new RowChecksum();
      write(definition, table, group, rows, target, written, output);
      rows.clear();
      if (!output.matches(input)) {
        throw new IllegalStateException(
            "rewritten files do not hold the same rows (read "
                + input
                + ", wrote "
                + output
                + "): not committed");
      }
      String difference =
          FooterCheck.ofInputs(table.schema(), group.files())
              .difference(FooterCheck.ofStorage(table, written));
      if (difference != null) {
        throw new IllegalStateException(
            "rewritten files do not hold the same rows (" + difference + "): not committed");
      }
      return new Rewritten(group, written, input.count(), null);
    } catch (RuntimeException e) {
      deleteQuietly(table, written);
      return new Rewritten(group, List.of(), 0, e);
    }
  }

  /**
   * Rewrites the table's manifests, clustered by day as {@code lake maintain} does, when the
   * compaction left more than {@code manifestsToRewrite}: each rewrite commit adds manifests, and
   * planning reads them all. A failure is logged and left to {@code lake maintain}.
   */
  private void rewriteManifestsIfMany(Table table) {
    table.refresh();
    Snapshot current = table.currentSnapshot();
    if (current == null || current.allManifests(table.io()).size() <= manifestsToRewrite) {
      return;
    }
    try {
      table
          .rewriteManifests()
          .clusterBy(
              file -> file.specId() + ":" + Maintenance.day(table.specs().get(file.specId()), file))
          .commit();
    } catch (RuntimeException e) {
      LOG.warn(
          "Cannot rewrite the manifests of {} after compaction: {}", table.name(), e.toString());
    }
  }

  private static boolean isConflict(RuntimeException e) {
    return e instanceof org.apache.iceberg.exceptions.ValidationException
        || e instanceof org.apache.iceberg.exceptions.CommitFailedException;
  }

  private static String describe(RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (isConflict(e)) {
      return "conflict with another change (" + message + ")";
    }
    return message;
  }

  private interface RecordConsumer {
    void accept(Record record);
  }

  private static void read(Table table, DataFile file, RecordConsumer consumer) {
    Schema schema = table.schema();
    try (CloseableIterable<Record> records =
        Parquet.read(table.io().newInputFile(file.location()))
            .project(schema)
            .createReaderFunc(fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
            .build()) {
      for (Record record : records) {
        consumer.accept(record);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file.location(), e);
    }
  }

  private static Comparator<Record> sortOrder(Schema schema, Table table) {
    Comparator<Record> order = null;
    for (SortField field : table.sortOrder().fields()) {
      String column = schema.findColumnName(field.sourceId());
      Comparator<Record> next =
          Comparator.comparing(
              record -> (Comparable<Object>) comparable(record.getField(column)),
              Comparator.nullsFirst(Comparator.naturalOrder()));
      order = order == null ? next : order.thenComparing(next);
    }
    return order != null ? order : (a, b) -> 0;
  }

  @SuppressWarnings("unchecked")
  private static Comparable<Object> comparable(Object value) {
    return value == null
        ? null
        : (Comparable<Object>)
            (value instanceof CharSequence text ? (Object) text.toString() : value);
  }

  /**
   * Writes the sorted rows as the writer lays out its files (encodings, metrics), rolling at the
   * target size, adding each finished file to {@code files} and each row written to {@code handed};
   * an unfinished file is deleted.
   */
  private <R extends LakeRow> void write(
      TableDefinition<R> definition,
      Table table,
      Group group,
      List<Record> rows,
      long target,
      List<DataFile> files,
      RowChecksum handed) {
    DataFileWriter<R> writer = null;
    String location = null;
    try {
      long count = 0;
      for (Record record : rows) {
        if (writer == null) {
          location = newLocation(table, group);
          writer =
              new DataFileWriter<>(
                  definition,
                  table,
                  group.spec(),
                  group.partition(),
                  table.io().newOutputFile(location));
        }
        writer.write(definition.cast(TableRows.toRow(definition.name(), record)));
        handed.add(record);
        count++;
        if (count % 10_000 == 0 && writer.length() >= target) {
          files.add(writer.finish());
          writer = null;
        }
      }
      if (writer != null) {
        files.add(writer.finish());
        writer = null;
      }
    } finally {
      if (writer != null) {
        writer.close();
        try {
          table.io().deleteFile(location);
        } catch (RuntimeException cleanup) {
          LOG.debug("Cannot delete {}: {}", location, cleanup.toString());
        }
      }
    }
  }

  private static String newLocation(Table table, Group group) {
    String codec =
        table
            .properties()
            .getOrDefault(
                TableProperties.PARQUET_COMPRESSION, TableProperties.PARQUET_COMPRESSION_DEFAULT);
    String name =
        String.format(
            "part-%s-compact-%s-%05d%s",
            FILE_TIME.format(Instant.now()),
            PROCESS_TAG,
            FILE_COUNTER.incrementAndGet(),
            "uncompressed".equals(codec)
                ? ".parquet"
                : "." + codec.toLowerCase(Locale.ROOT) + ".parquet");
    return table.locationProvider().newDataLocation(group.spec(), group.partition(), name);
  }

  /** Builds a {@link Compaction}. */
  public static final class Builder {
    private final TableManager tables;
    private List<TableDefinition<?>> definitions = LakeTables.all();
    private Expression filter = Expressions.alwaysTrue();
    private Long targetFileBytes;
    private Long smallFileBytes;
    private int minInputFiles = 2;
    private long maxGroupRows = 4_000_000;
    private boolean includeCurrent;
    private boolean dryRun;
    private CompactionListener listener = CompactionListener.NONE;
    private Clock clock = Clock.systemUTC();
    private Duration grace = DEFAULT_GRACE;
    private int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));
    private int groupsPerCommit = DEFAULT_GROUPS_PER_COMMIT;
    private int maxCommits = DEFAULT_MAX_COMMITS;
    private int manifestsToRewrite = DEFAULT_MANIFESTS_TO_REWRITE;

    private Builder(TableManager tables) {
      this.tables = requireNonNull(tables, "tables is null");
    }

    /** The tables to compact (default: all of them). */
    public Builder tables(Collection<TableDefinition<?>> value) {
      this.definitions = List.copyOf(value);
      return this;
    }

    /** Only files that may hold rows matching this filter (Iceberg expression). */
    public Builder filter(Expression value) {
      this.filter = requireNonNull(value, "filter is null");
      return this;
    }

    /** Size of the files written (default: the table's write.target-file-size-bytes). */
    public Builder targetFileBytes(long value) {
      if (value < 1024 * 1024) {
        throw new IllegalArgumentException(
            "Invalid target file size: " + value + " bytes (expected at least 1 MiB)");
      }
      this.targetFileBytes = value;
      return this;
    }

    /** Files smaller than this are rewritten (default: a quarter of the target size). */
    public Builder smallFileBytes(long value) {
      if (value < 1) {
        throw new IllegalArgumentException("Invalid small file size: " + value);
      }
      this.smallFileBytes = value;
      return this;
    }

    /** A partition is rewritten when it has at least this many small files (default 2). */
    public Builder minInputFiles(int value) {
      if (value < 2) {
        throw new IllegalArgumentException(
            "Invalid minimum input files: " + value + " (expected at least 2)");
      }
      this.minInputFiles = value;
      return this;
    }

    /**
     * The most rows held in memory at once (default 4 million), by one group or by the groups
     * rewritten in parallel together: a group's rows are sorted in memory, so this bounds the heap
     * a compaction needs (about 250 bytes a row). A partition with more rows is rewritten as
     * several groups.
     */
    public Builder maxGroupRows(long value) {
      if (value < 1000) {
        throw new IllegalArgumentException(
            "Invalid maximum group rows: " + value + " (expected at least 1000)");
      }
      this.maxGroupRows = value;
      return this;
    }

    /**
     * Groups rewritten at once (default: the cores, at most 4), within {@link #maxGroupRows}.
     * Reading, sorting and writing a group is CPU work; one thread is the sequential compaction.
     */
    public Builder threads(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "Invalid compaction threads: " + value + " (expected at least 1)");
      }
      this.threads = value;
      return this;
    }

    /**
     * Groups committed together in one rewrite (default {@link #DEFAULT_GROUPS_PER_COMMIT}), so
     * that a compaction of thousands of partitions makes tens of commits, not thousands, and its
     * progress is kept at each; more when the groups would otherwise need more than {@link
     * #maxCommits} commits. When a commit conflicts with another change, its groups are committed
     * one by one and only those whose files changed fail. 1 (with {@code maxCommits} at least the
     * groups) commits each group alone.
     */
    public Builder groupsPerCommit(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "Invalid groups per commit: " + value + " (expected at least 1)");
      }
      this.groupsPerCommit = value;
      return this;
    }

    /**
     * The most commits a table's compaction makes (default {@link #DEFAULT_MAX_COMMITS}): when its
     * groups divided by {@link #groupsPerCommit} would make more, each commit takes more groups, so
     * that the groups are spread evenly over this many commits. Each commit rewrites every manifest
     * that lists a replaced file, and minute commits spread a partition's files over every
     * manifest, so a commit costs about the whole table's metadata whatever its size: for thousands
     * of partitions, fewer and larger commits are most of the speed. Conflicts still fall back to
     * committing group by group.
     */
    public Builder maxCommits(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "Invalid maximum commits: " + value + " (expected at least 1)");
      }
      this.maxCommits = value;
      return this;
    }

    /**
     * After a table's groups are committed, its manifests are rewritten (clustered by day) when
     * there are more than this many (default {@link #DEFAULT_MANIFESTS_TO_REWRITE}).
     */
    public Builder rewriteManifestsAbove(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "Invalid manifest count: " + value + " (expected at least 1)");
      }
      this.manifestsToRewrite = value;
      return this;
    }

    /** Also rewrite the current hour's (or day's) partitions, which a writer may still fill. */
    public Builder includeCurrentPartitions() {
      this.includeCurrent = true;
      return this;
    }

    /** Plan and report only. */
    public Builder dryRun() {
      this.dryRun = true;
      return this;
    }

    public Builder listener(CompactionListener value) {
      this.listener = requireNonNull(value, "listener is null");
      return this;
    }

    /**
     * How long the files a compaction replaced stay on storage after its commit (default {@link
     * #DEFAULT_GRACE}), for Iceberg readers that planned on an older snapshot; {@link
     * #removeReplacedFiles()} deletes them after. Zero deletes them at once.
     */
    public Builder replacedFilesGrace(Duration value) {
      requireNonNull(value, "value is null");
      if (value.isNegative()) {
        throw new IllegalArgumentException(
            "Invalid grace for replaced files: "
                + value.toMillis()
                + " ms (expected zero or more)");
      }
      this.grace = value;
      return this;
    }

    /** The clock that says which partitions are current and when a grace has passed (tests). */
    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock is null");
      return this;
    }

    public Compaction build() {
      return new Compaction(this);
    }
  }
}
