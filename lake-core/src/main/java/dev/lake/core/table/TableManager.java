package dev.lake.core.table;

import static java.util.Objects.requireNonNull;

import dev.lake.core.layout.LakeLocationProvider;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableProperties;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.UpdateProperties;
import org.apache.iceberg.UpdateSchema;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, upgrades and loads lake's tables in an Iceberg catalog.
 *
 * <p>{@link #ensureTables} is idempotent: tables that exist with every column lake defines are left
 * alone; tables made by an older lake get the missing columns (as optional columns, Iceberg schema
 * evolution) and the columns lake has renamed since get their new names (a rename keeps the field
 * id, so the rows written before read back under the new name); missing tables are created with the
 * partition spec, sort order and properties of {@link TableOptions}. Safe to run while other
 * processes write to the tables. Thread-safe as far as the catalog is.
 */
public final class TableManager {
  private static final Logger LOG = LoggerFactory.getLogger(TableManager.class);

  private final Catalog catalog;
  private final TableOptions options;

  public TableManager(Catalog catalog, TableOptions options) {
    this.catalog = requireNonNull(catalog, "catalog is null");
    this.options = requireNonNull(options, "options is null");
  }

  public Catalog catalog() {
    return catalog;
  }

  public TableOptions options() {
    return options;
  }

  /** The catalog identifier of a table, e.g. {@code crypto.orderbook_delta}. */
  public TableIdentifier identifier(TableDefinition<?> table) {
    return TableIdentifier.of(options.namespace(), table.name());
  }

  /** Creates or upgrades every one of lake's tables. */
  public List<TableChange> ensureAllTables() {
    return ensureTables(LakeTables.all());
  }

  /**
   * Creates the missing tables and adds missing columns to existing ones, or renames them where
   * lake renamed them; reports each.
   */
  public List<TableChange> ensureTables(Collection<TableDefinition<?>> tables) {
    ensureNamespace();
    List<TableChange> changes = new ArrayList<>();
    for (TableDefinition<?> table : tables) {
      changes.add(ensureTable(table));
    }
    return changes;
  }

  /**
   * Loads an existing table.
   *
   * @throws NoSuchTableException naming the table and how to create it
   */
  public Table load(TableDefinition<?> table) {
    TableIdentifier id = identifier(table);
    try {
      return catalog.loadTable(id);
    } catch (NoSuchTableException e) {
      throw new NoSuchTableException(
          e, "Cannot load table %s: it does not exist (run `lake tables create`)", id);
    }
  }

  /** True when the table exists in the catalog. */
  public boolean exists(TableDefinition<?> table) {
    return catalog.tableExists(identifier(table));
  }

  private void ensureNamespace() {
    Namespace namespace = options.namespace();
    if (catalog instanceof SupportsNamespaces namespaces
        && !namespaces.namespaceExists(namespace)) {
      try {
        namespaces.createNamespace(namespace);
        LOG.debug("Created namespace {}", namespace);
      } catch (RuntimeException e) {
        // created meanwhile by another process (shards starting together): fine. Catalogs answer
        // that race differently: AlreadyExistsException, or a server error (Iceberg's reference
        // REST server on a JDBC backend fails a primary key), so the namespace is looked up again
        if (!namespaces.namespaceExists(namespace)) {
          throw e;
        }
        LOG.debug("Namespace {} was created meanwhile by another process", namespace);
      }
    }
  }

  private TableChange ensureTable(TableDefinition<?> table) {
    TableIdentifier id = identifier(table);
    if (catalog.tableExists(id)) {
      return upgrade(table, catalog.loadTable(id));
    }
    try {
      create(table, id);
      LOG.debug("Created table {}", id);
      return new TableChange(
          table.name(), TableChange.Kind.CREATED, List.of(), List.of(), List.of());
    } catch (AlreadyExistsException e) {
      return upgrade(table, catalog.loadTable(id));
    } catch (RuntimeException e) {
      // a create that lost the race to another process (shards starting together): a REST
      // catalog answers with a failed requirement (CommitFailedException) or a server error, not
      // AlreadyExistsException, so the table is looked up again
      if (!catalog.tableExists(id)) {
        throw e;
      }
      LOG.debug("Table {} was created meanwhile by another process", id);
      return upgrade(table, catalog.loadTable(id));
    }
  }

  private void create(TableDefinition<?> table, TableIdentifier id) {
    Schema schema = table.schema();
    Transaction create =
        catalog
            .buildTable(id, schema)
            .withPartitionSpec(table.partitionSpec(schema, options.granularity(table)))
            .withSortOrder(table.sortOrder(schema))
            .withProperties(properties(table))
            .createTransaction();
    if (options.layout() == FileLayout.SEED) {
      UpdateProperties update =
          create
              .updateProperties()
              .set(LakeLocationProvider.DATA_ROOT, dataRoot(create.table().location()));
      if (options.dataRoots() != null) {
        options
            .dataRoots()
            .forEach(
                (key, root) ->
                    update.set(
                        LakeLocationProvider.DATA_ROOT_PREFIX + key, stripTrailingSlash(root)));
      }
      update.commit();
    }
    create.commitTransaction();
  }

  private String dataRoot(String tableLocation) {
    if (options.dataRoot() != null) {
      return stripTrailingSlash(options.dataRoot());
    }
    String location = stripTrailingSlash(tableLocation);
    return location.substring(0, location.lastIndexOf('/'));
  }

  private Map<String, String> properties(TableDefinition<?> table) {
    Map<String, String> properties = new HashMap<>();
    properties.put(TableProperties.FORMAT_VERSION, "2");
    properties.put(TableProperties.DEFAULT_FILE_FORMAT, "parquet");
    properties.put(TableProperties.PARQUET_COMPRESSION, options.compression());
    properties.put(
        TableProperties.WRITE_TARGET_FILE_SIZE_BYTES, Long.toString(options.targetFileSizeBytes()));
    properties.put(TableProperties.METADATA_DELETE_AFTER_COMMIT_ENABLED, "true");
    properties.put(
        TableProperties.METADATA_PREVIOUS_VERSIONS_MAX,
        Integer.toString(options.metadataVersionsKept()));
    if (options.layout() == FileLayout.SEED) {
      properties.put(
          TableProperties.WRITE_LOCATION_PROVIDER_IMPL, LakeLocationProvider.class.getName());
      properties.put(LakeLocationProvider.DATA_TYPE, table.name());
    }
    return properties;
  }

  private TableChange upgrade(TableDefinition<?> table, Table existing) {
    Schema current = existing.schema();
    List<String> added = new ArrayList<>();
    List<TableChange.RenamedColumn> renamed = new ArrayList<>();
    List<String> warnings = new ArrayList<>();
    UpdateSchema update = existing.updateSchema();
    for (ColumnDefinition<?> column : table.columns()) {
      Types.NestedField present = current.findField(column.name());
      if (present == null) {
        present = formerColumn(current, column);
        if (present != null) {
          update.renameColumn(present.name(), column.name());
          renamed.add(new TableChange.RenamedColumn(present.name(), column.name()));
        }
      }
      if (present == null) {
        update.addColumn(column.name(), column.type(), column.field().doc());
        added.add(column.name());
      } else if (!sameType(present.type(), column.type())) {
        warnings.add(
            "column "
                + column.name()
                + " has type "
                + present.type()
                + ", lake defines "
                + column.type()
                + " (left unchanged)");
      }
    }
    boolean columns = !added.isEmpty() || !renamed.isEmpty();
    if (columns) {
      update.commit();
    }
    // after the schema's commit: an update is made against the metadata it was created on
    List<String> settings = updateDataRoots(existing, warnings);
    if (!columns && settings.isEmpty()) {
      return new TableChange(
          table.name(), TableChange.Kind.UNCHANGED, List.of(), List.of(), warnings);
    }
    LOG.info(
        "Upgraded table {}: added columns {}, renamed columns {}, settings {}",
        identifier(table),
        added,
        renamed,
        settings);
    return new TableChange(
        table.name(), TableChange.Kind.UPGRADED, added, renamed, warnings, settings);
  }

  /**
   * Brings a table's per-exchange data roots in line with the options, when they give them: roots
   * set, changed or removed. Only files written from then on go to a new root; files already
   * written stay where they are (the manifests point at them).
   */
  private List<String> updateDataRoots(Table existing, List<String> warnings) {
    Map<String, String> wanted = options.dataRoots();
    if (wanted == null) {
      return List.of();
    }
    boolean seed =
        LakeLocationProvider.class
            .getName()
            .equals(existing.properties().get(TableProperties.WRITE_LOCATION_PROVIDER_IMPL));
    if (!seed) {
      if (!wanted.isEmpty()) {
        warnings.add(
            "data roots per exchange need the seed layout; this table uses Iceberg's (left"
                + " unchanged)");
      }
      return List.of();
    }
    Map<String, String> present = LakeLocationProvider.rootsByKey(existing.properties());
    List<String> changes = new ArrayList<>();
    UpdateProperties update = existing.updateProperties();
    for (Map.Entry<String, String> entry : new TreeMap<>(wanted).entrySet()) {
      String root = stripTrailingSlash(entry.getValue());
      String before = present.get(entry.getKey());
      if (!root.equals(before)) {
        update.set(LakeLocationProvider.DATA_ROOT_PREFIX + entry.getKey(), root);
        changes.add(
            "data root of "
                + entry.getKey()
                + (before == null ? " set to " : " changed from " + before + " to ")
                + root);
      }
    }
    for (String key : present.keySet()) {
      if (!wanted.containsKey(key)) {
        update.remove(LakeLocationProvider.DATA_ROOT_PREFIX + key);
        changes.add("data root of " + key + " removed (was " + present.get(key) + ")");
      }
    }
    if (!changes.isEmpty()) {
      update.commit();
    }
    return changes;
  }

  /**
   * The field holding a column under a name an older lake gave it. Found by name, like every column
   * here, so that tables whose field ids were assigned by another tool are upgraded too; the rename
   * keeps that field's id.
   */
  private static Types.NestedField formerColumn(Schema schema, ColumnDefinition<?> column) {
    for (String name : column.formerNames()) {
      Types.NestedField field = schema.findField(name);
      if (field != null) {
        return field;
      }
    }
    return null;
  }

  /** Type equality that ignores field ids, so tables made by other tools compare fairly. */
  private static boolean sameType(Type left, Type right) {
    if (left.isPrimitiveType() || right.isPrimitiveType()) {
      return left.equals(right);
    }
    if (left.typeId() != right.typeId()) {
      return false;
    }
    List<Types.NestedField> leftFields = left.asNestedType().fields();
    List<Types.NestedField> rightFields = right.asNestedType().fields();
    if (leftFields.size() != rightFields.size()) {
      return false;
    }
    for (int i = 0; i < leftFields.size(); i++) {
      Types.NestedField a = leftFields.get(i);
      Types.NestedField b = rightFields.get(i);
      if (!a.name().equals(b.name())
          || a.isOptional() != b.isOptional()
          || !sameType(a.type(), b.type())) {
        return false;
      }
    }
    return true;
  }

  private static String stripTrailingSlash(String path) {
    String result = path;
    while (result.endsWith("/") && !result.endsWith("://")) {
      result = result.substring(0, result.length() - 1);
    }
    return result;
  }
}
