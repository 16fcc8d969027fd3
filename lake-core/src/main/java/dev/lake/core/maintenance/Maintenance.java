package dev.lake.core.maintenance;

import static java.util.Objects.requireNonNull;

import dev.lake.core.layout.LakeLocationProvider;
import dev.lake.core.table.TableDefinition;
import dev.lake.core.table.TableManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.iceberg.ContentFile;
import org.apache.iceberg.ExpireSnapshots.CleanupLevel;
import org.apache.iceberg.ManifestContent;
import org.apache.iceberg.ManifestFile;
import org.apache.iceberg.ManifestFiles;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.ReachableFileUtil;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.FileInfo;
import org.apache.iceberg.io.SupportsPrefixOperations;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Table maintenance besides compaction: expiring old snapshots, rewriting manifests, and removing
 * orphan files. None of it touches the write positions {@code lake ingest} resumes from (they are
 * table properties, which expiry and rewrites keep).
 *
 * <p>Orphan removal looks only at the table's own paths: its {@code data_type=} folders under the
 * data root (or its {@code data/} folder with Iceberg's layout) and its {@code metadata/} folder,
 * never at anything else in the warehouse, and deletes only files no snapshot reaches that are
 * older than a safety margin. The margin must exceed the longest time a writer may hold written but
 * uncommitted files (a catalog outage): a younger file may be about to be committed.
 *
 * <p>Thread-safe as far as the catalog is.
 */
public final class Maintenance {
  private static final Logger LOG = LoggerFactory.getLogger(Maintenance.class);

  private final TableManager tables;
  private final int keepSnapshots;
  private final Duration keepSnapshotsYoungerThan;
  private final Duration orphanMargin;
  private final boolean dryRun;
  private final Clock clock;

  private Maintenance(Builder builder) {
    this.tables = builder.tables;
    this.keepSnapshots = builder.keepSnapshots;
    this.keepSnapshotsYoungerThan = builder.keepSnapshotsYoungerThan;
    this.orphanMargin = builder.orphanMargin;
    this.dryRun = builder.dryRun;
    this.clock = builder.clock;
  }

  public static Builder builder(TableManager tables) {
    return new Builder(tables);
  }

  /**
   * What one maintenance step did to one table.
   *
   * @param table the table
   * @param step {@code expire-snapshots}, {@code rewrite-manifests} or {@code remove-orphans}
   * @param before count before (snapshots, manifests, orphan candidates)
   * @param after count after (in a dry run: what it would be)
   * @param bytes bytes removed (orphans), else 0
   * @param detail one line for people
   */
  public record StepResult(
      String table, String step, long before, long after, long bytes, String detail) {}

  /** Expires snapshots older than the age kept, always keeping the newest ones. */
  public StepResult expireSnapshots(TableDefinition<?> definition) {
    Table table = tables.load(definition);
    int before = count(table.snapshots());
    long olderThan = clock.millis() - keepSnapshotsYoungerThan.toMillis();
    int expirable = 0;
    List<Snapshot> snapshots = new ArrayList<>();
    table.snapshots().forEach(snapshots::add);
    snapshots.sort((a, b) -> Long.compare(b.timestampMillis(), a.timestampMillis()));
    for (int i = keepSnapshots; i < snapshots.size(); i++) {
      if (snapshots.get(i).timestampMillis() < olderThan) {
        expirable++;
      }
    }
    if (!dryRun && expirable > 0) {
      table
          .expireSnapshots()
          .expireOlderThan(olderThan)
          .retainLast(keepSnapshots)
          .cleanupLevel(CleanupLevel.ALL)
          .commit();
      table.refresh();
    }
    int after = dryRun ? before - expirable : count(table.snapshots());
    return new StepResult(
        definition.name(),
        "expire-snapshots",
        before,
        after,
        0,
        (dryRun ? "would expire " : "expired ")
            + (before - after)
            + " of "
            + before
            + " snapshots");
  }

  /**
   * Rewrites the manifests of the current snapshot, one manifest (or more, at Iceberg's target
   * manifest size) per day of data: queries bounded in time read few manifests, and a day of a
   * whole venue's partitions does not make a manifest each.
   */
  public StepResult rewriteManifests(TableDefinition<?> definition) {
    Table table = tables.load(definition);
    Snapshot current = table.currentSnapshot();
    if (current == null) {
      return new StepResult(definition.name(), "rewrite-manifests", 0, 0, 0, "no snapshot");
    }
    int before = current.allManifests(table.io()).size();
    if (dryRun || before <= 1) {
      return new StepResult(
          definition.name(),
          "rewrite-manifests",
          before,
          before,
          0,
          before + " manifests" + (dryRun ? ", would rewrite them" : ""));
    }
    table
        .rewriteManifests()
        .clusterBy(file -> file.specId() + ":" + day(table.specs().get(file.specId()), file))
        .commit();
    table.refresh();
    int after = table.currentSnapshot().allManifests(table.io()).size();
    return new StepResult(
        definition.name(),
        "rewrite-manifests",
        before,
        after,
        0,
        "rewrote " + before + " manifests into " + after);
  }

  /** Days since the epoch of a file's time partition; -1 for a spec without one. */
  static long day(PartitionSpec spec, ContentFile<?> file) {
    List<PartitionField> fields = spec.fields();
    for (int i = 0; i < fields.size(); i++) {
      String transform = fields.get(i).transform().toString();
      if (transform.equals("hour") || transform.equals("day")) {
        Integer value = file.partition().get(i, Integer.class);
        if (value != null) {
          return transform.equals("hour") ? Math.floorDiv(value, 24) : value;
        }
      }
    }
    return -1;
  }

  /** Deletes files under the table's own paths that no snapshot reaches and that are old enough. */
  public StepResult removeOrphanFiles(TableDefinition<?> definition) {
    Table table = tables.load(definition);
    FileIO io = table.io();
    if (!(io instanceof SupportsPrefixOperations listing)) {
      throw new IllegalStateException(
          "Cannot remove orphan files of "
              + table.name()
              + ": its FileIO "
              + io.getClass().getName()
              + " cannot list files");
    }
    Set<String> reachable = reachable(table);
    long cutoff = clock.millis() - orphanMargin.toMillis();
    long found = 0;
    long bytes = 0;
    List<String> orphans = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String prefix : ownPrefixes(table, definition)) {
      for (FileInfo file : listing.listPrefix(prefix)) {
        String location = normalize(file.location());
        // the default data root holds the table folder too: each file once
        if (!seen.add(location)
            || !belongsTo(table, definition, location)
            || reachable.contains(location)) {
          continue;
        }
        found++;
        LOG.debug("Unreachable file of {}: {}", table.name(), location);
        if (file.createdAtMillis() < cutoff) {
          orphans.add(file.location());
          bytes += file.size();
        }
      }
    }
    if (!dryRun) {
      for (String orphan : orphans) {
        io.deleteFile(orphan);
        LOG.debug("Deleted orphan file {}", orphan);
      }
    }
    return new StepResult(
        definition.name(),
        "remove-orphans",
        found,
        dryRun ? found : found - orphans.size(),
        bytes,
        (dryRun ? "would delete " : "deleted ")
            + orphans.size()
            + " orphan files older than "
            + orphanMargin.toHours()
            + " h"
            + (found > orphans.size() ? " (" + (found - orphans.size()) + " younger kept)" : ""));
  }

  /** Every file a snapshot or the metadata log of the table reaches, normalised. */
  private static Set<String> reachable(Table table) {
    Set<String> files = new HashSet<>();
    ReachableFileUtil.metadataFileLocations(table, false)
        .forEach(location -> files.add(normalize(location)));
    ReachableFileUtil.manifestListLocations(table)
        .forEach(location -> files.add(normalize(location)));
    ReachableFileUtil.statisticsFilesLocations(table)
        .forEach(location -> files.add(normalize(location)));
    Set<String> manifests = new HashSet<>();
    for (Snapshot snapshot : table.snapshots()) {
      for (ManifestFile manifest : snapshot.allManifests(table.io())) {
        if (manifests.add(manifest.path())) {
          files.add(normalize(manifest.path()));
          try (CloseableIterable<? extends ContentFile<?>> entries =
              manifest.content() == ManifestContent.DATA
                  ? ManifestFiles.read(manifest, table.io(), table.specs())
                  : ManifestFiles.readDeleteManifest(manifest, table.io(), table.specs())) {
            entries.forEach(file -> files.add(normalize(file.location())));
          } catch (IOException e) {
            throw new UncheckedIOException("Cannot read manifest " + manifest.path(), e);
          }
        }
      }
    }
    return files;
  }

  private static List<String> ownPrefixes(Table table, TableDefinition<?> definition) {
    String location = stripSlash(table.location());
    List<String> prefixes = new ArrayList<>();
    prefixes.add(location + "/metadata/");
    if (isSeedLayout(table)) {
      for (String root : LakeLocationProvider.allRoots(table.location(), table.properties())) {
        prefixes.add(root + "/");
      }
    } else {
      prefixes.add(location + "/data/");
    }
    return prefixes;
  }

  /** A listed file is the table's own: under its metadata folder, or its data folders. */
  private static boolean belongsTo(Table table, TableDefinition<?> definition, String location) {
    String tableLocation = normalize(stripSlash(table.location()));
    if (location.startsWith(tableLocation + "/metadata/")) {
      return true;
    }
    if (!isSeedLayout(table)) {
      return location.startsWith(tableLocation + "/data/");
    }
    String root = null;
    for (String candidate : LakeLocationProvider.allRoots(table.location(), table.properties())) {
      if (location.startsWith(normalize(candidate) + "/")) {
        root = normalize(candidate) + "/";
        break;
      }
    }
    if (root == null) {
      return false;
    }
    String[] segments = location.substring(root.length()).split("/");
    String dataType =
        table.properties().getOrDefault(LakeLocationProvider.DATA_TYPE, definition.name());
    return segments.length > 3
        && segments[2].equals("data_type=" + dataType)
        && segments[0].startsWith("exchange=");
  }

  private static boolean isSeedLayout(Table table) {
    return LakeLocationProvider.class
        .getName()
        .equals(table.properties().get(TableProperties.WRITE_LOCATION_PROVIDER_IMPL));
  }

  /** {@code file:/x}, {@code file:///x} and {@code /x} name the same local file. */
  static String normalize(String location) {
    String path = location;
    if (path.startsWith("file:")) {
      path = path.substring("file:".length());
      while (path.startsWith("//")) {
        path = path.substring(1);
      }
    }
    return path;
  }

  private static String stripSlash(String location) {
    String result = location;
    while (result.endsWith("/")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }

  private static int count(Iterable<?> items) {
    int count = 0;
    for (Object ignored : items) {
      count++;
    }
    return count;
  }

  /** Builds {@link Maintenance} with what to keep. */
  public static final class Builder {
    private final TableManager tables;
    private int keepSnapshots = 10;
    private Duration keepSnapshotsYoungerThan = Duration.ofDays(1);
    private Duration orphanMargin = Duration.ofDays(3);
    private boolean dryRun;
    private Clock clock = Clock.systemUTC();

    private Builder(TableManager tables) {
      this.tables = requireNonNull(tables, "tables is null");
    }

    /** Snapshots always kept, newest first (default 10). */
    public Builder keepSnapshots(int value) {
      if (value < 1) {
        throw new IllegalArgumentException(
            "Invalid number of snapshots to keep: " + value + " (expected at least 1)");
      }
      this.keepSnapshots = value;
      return this;
    }

    /** Snapshots younger than this are kept (default 1 day). */
    public Builder keepSnapshotsYoungerThan(Duration value) {
      this.keepSnapshotsYoungerThan = requireNonNull(value, "value is null");
      return this;
    }

    /** Orphan files younger than this are kept (default 3 days, at least 1 hour). */
    public Builder orphanMargin(Duration value) {
      requireNonNull(value, "value is null");
      if (value.compareTo(Duration.ofHours(1)) < 0) {
        throw new IllegalArgumentException(
            "Invalid orphan margin: "
                + value.toMinutes()
                + " min (expected at least 1 hour: younger files may be about to be committed)");
      }
      this.orphanMargin = value;
      return this;
    }

    /** Report only. */
    public Builder dryRun() {
      this.dryRun = true;
      return this;
    }

    /** The clock ages are measured against (tests). */
    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock is null");
      return this;
    }

    public Maintenance build() {
      return new Maintenance(this);
    }
  }
}
