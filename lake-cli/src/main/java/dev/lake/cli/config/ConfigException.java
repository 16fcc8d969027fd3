package dev.lake.cli.config;

/**
 * A configuration that cannot be used. The message is one line naming the file, the key path, the
 * value and what was expected; the CLI exits with code 3 on it.
 */
public class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }

  public ConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
