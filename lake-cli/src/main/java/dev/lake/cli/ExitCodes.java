package dev.lake.cli;

/** The exit codes of the lake command. */
public final class ExitCodes {
  /** Success. */
  public static final int OK = 0;

  /** A runtime failure: catalog unreachable, storage errors, a table missing. */
  public static final int FAILURE = 1;

  /** Bad command-line usage: unknown option, bad argument. */
  public static final int USAGE = 2;

  /** A configuration that cannot be used. */
  public static final int CONFIG = 3;

  private ExitCodes() {}
}
