package dev.lake.cli.config;

import dev.lake.catalog.CatalogSettings;
import dev.lake.catalog.CatalogType;
import dev.lake.exchanges.Shard;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Loads a lake configuration: YAML through SnakeYAML's safe constructor (plain data only, no
 * types), duplicate keys refused, {@code ${ENV}} interpolated, relative paths resolved against the
 * file's folder. Every problem is a {@link ConfigException} naming the file, the key path, the
 * value and what was expected.
 */
public final class ConfigLoader {
  private static final int MAX_BYTES = 4 * 1024 * 1024;

  private ConfigLoader() {}

  /** Loads a config file. */
  public static LakeConfig load(Path file, Map<String, String> environment) {
    Path absolute = file.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute)) {
      throw new ConfigException(
          "Cannot read config "
              + file
              + ": "
              + (Files.exists(absolute) ? "not a file" : "no such file"));
    }
    if (!Files.isReadable(absolute)) {
      throw new ConfigException("Cannot read config " + file + ": permission denied");
    }
    Object document;
    try (Reader reader = Files.newBufferedReader(absolute, StandardCharsets.UTF_8)) {
      if (Files.size(absolute) > MAX_BYTES) {
        throw new ConfigException("Cannot read config " + file + ": larger than 4 MiB");
      }
      LoaderOptions options = new LoaderOptions();
      options.setAllowDuplicateKeys(false);
      options.setMaxAliasesForCollections(50);
      document = new Yaml(new SafeConstructor(options)).load(reader);
    } catch (MarkedYAMLException e) {
      String where =
          e.getProblemMark() == null
              ? ""
              : " at line "
                  + (e.getProblemMark().getLine() + 1)
                  + ", column "
                  + (e.getProblemMark().getColumn() + 1);
      throw new ConfigException("Invalid YAML in " + file + where + ": " + e.getProblem(), e);
    } catch (YAMLException e) {
      throw new ConfigException("Invalid YAML in " + file + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new ConfigException("Cannot read config " + file + ": " + e.getMessage(), e);
    }
    ConfigContext context = new ConfigContext(absolute, absolute.getParent(), environment);
    if (document == null) {
      return parse(ConfigNode.root(Map.of(), context));
    }
    if (!(document instanceof Map)) {
      throw context.error(
          "Invalid config: the top level must be a mapping with source, sink and tables");
    }
    return parse(ConfigNode.root((Map<?, ?>) document, context));
  }

  /** The embedded defaults: a SQLite catalog and the warehouse in {@code ./warehouse}. */
  public static LakeConfig defaults(Path workingDirectory, Map<String, String> environment) {
    return parse(ConfigNode.root(Map.of(), new ConfigContext(null, workingDirectory, environment)));
  }

  static LakeConfig parse(ConfigNode root) {
    root.allowOnly("source", "sink", "tables", "shard", "metrics");
    SinkConfig sink = SinkConfig.parse(root.child("sink"));
    TablesConfig tables = TablesConfig.parse(root.child("tables"));
    Shard shard = shard(root);
    if (shard != null) {
      requireSharedCatalog(root, sink);
    }
    SourceConfig source = SourceConfig.parse(root.child("source"), shard);
    MetricsConfig metrics = MetricsConfig.parse(root.child("metrics"));
    return new LakeConfig(root.context().file(), sink, tables, source, shard, metrics);
  }

  /** {@code shard: {index: I, of: N}}: this process keeps the books whose hash mod N is I. */
  private static Shard shard(ConfigNode root) {
    if (!root.has("shard")) {
      return null;
    }
    ConfigNode node = root.child("shard");
    node.allowOnly("index", "of");
    int of =
        node.intValue("of", -1, 1, 10_000, "a number of lake ingest processes sharing the books");
    if (of == -1) {
      throw root.context()
          .error("Missing config value at shard.of (expected the number of processes, e.g. 3)");
    }
    if (!node.has("index")) {
      throw root.context()
          .error(
              "Missing config value at shard.index (expected this process's shard, 0 to "
                  + (of - 1)
                  + ")");
    }
    int index =
        node.intValue("index", 0, -1_000_000, 1_000_000, "a whole number from 0 to " + (of - 1));
    if (index < 0 || index >= of) {
      throw node.invalid(
          "index", index, "0 to " + (of - 1) + " for of: " + of + "; shards are counted from 0");
    }
    return new Shard(index, of);
  }

  /**
   * Shards run on several machines, which an embedded SQLite catalog cannot serve: a file lock does
   * not hold across hosts (and not at all on most network file systems), so two hosts would
   * overwrite each other's commits.
   */
  private static void requireSharedCatalog(ConfigNode root, SinkConfig sink) {
    CatalogSettings catalog = sink.catalog();
    boolean sqlite =
        catalog.type() == CatalogType.JDBC
            && (catalog.uri() == null || catalog.uri().startsWith("jdbc:sqlite:"));
    if (sqlite) {
      throw root.context()
          .error(
              "Invalid config: shard splits the books among lake ingest processes on several"
                  + " machines, which an embedded SQLite catalog (sink.catalog.type: jdbc"
                  + (catalog.uri() == null ? "" : " with a jdbc:sqlite: uri")
                  + ") cannot serve (expected sink.catalog.type: rest or glue, or a JDBC"
                  + " catalog on a database server; or no shard block for one process)");
    }
  }
}
