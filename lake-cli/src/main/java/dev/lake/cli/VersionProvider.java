package dev.lake.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version and commit Maven wrote into the jar. */
public final class VersionProvider implements IVersionProvider {
  /** The version of this build, e.g. {@code 0.1.0}. */
  public static String version() {
    return property("version");
  }

  /**
   * The commit this build was made from, e.g. {@code b08768e}, with {@code -dirty} when the work
   * tree had changes, and its time; {@code unknown} for a build outside a git checkout.
   */
  public static String commit() {
    String commit = property("commit");
    if (commit.equals("unknown")) {
      return commit;
    }
    String time = property("commit_time");
    return commit
        + (property("dirty").equals("true") ? "-dirty" : "")
        + (time.equals("unknown") ? "" : " (" + time + ")");
  }

  private static String property(String name) {
    Properties properties = new Properties();
    try (InputStream in = VersionProvider.class.getResourceAsStream("/lake-version.properties")) {
      if (in != null) {
        properties.load(in);
      }
    } catch (IOException e) {
      return "unknown";
    }
    String value = properties.getProperty(name, "");
    // an unresolved ${...} means Maven had no such property: a build outside git
    return value.isBlank() || value.startsWith("${") ? "unknown" : value;
  }

  @Override
  public String[] getVersion() {
    return new String[] {
      "lake " + version() + ", commit " + commit(),
      "Java " + System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")"
    };
  }
}
