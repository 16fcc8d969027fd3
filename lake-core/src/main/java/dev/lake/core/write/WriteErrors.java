package dev.lake.core.write;

import dev.lake.core.write.FatalWriteError.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.ValidationException;

/**
 * The one place that decides whether a commit or write error is retried or stops the writer.
 * Retried: commit conflicts, unknown commit outcomes (reconciled by {@link TableCommitter}),
 * storage and catalog unavailability (I/O errors, refused connections, timeouts, HTTP 5xx), a busy
 * or locked SQLite catalog, and anything not recognised (as before this classifier, so an
 * unfamiliar outage does not stop ingestion). Fatal: a dropped table, an incompatible schema,
 * refused credentials, denied permission. The whole cause chain is looked at, fatal causes first:
 * an I/O error caused by a denied permission is a denied permission.
 */
final class WriteErrors {
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final Set<String> AWS_AUTHENTICATION =
      Set.of("InvalidAccessKeyId", "ExpiredToken", "SignatureDoesNotMatch", "InvalidToken");
  private static final Set<String> AWS_PERMISSION = Set.of("AccessDenied", "AllAccessDisabled");

  private WriteErrors() {}

  /** Retried or fatal. */
  enum Decision {
    RETRY,
    FATAL
  }

  /**
   * What to do about an error.
   *
   * @param decision retried or fatal
   * @param kind the fatal kind, or null when retried
   * @param reason the cause in plain words
   * @param cause the error in the chain the decision rests on
   */
  record Verdict(Decision decision, Kind kind, String reason, Throwable cause) {
    static Verdict retry(String reason, Throwable cause) {
      return new Verdict(Decision.RETRY, null, reason, cause);
    }

    static Verdict fatal(Kind kind, String reason, Throwable cause) {
      return new Verdict(Decision.FATAL, kind, reason, cause);
    }

    boolean isFatal() {
      return decision == Decision.FATAL;
    }

    /** The fatal error this verdict stops the writer with, naming what it could not do. */
    FatalWriteError toFatalError(String action) {
      return new FatalWriteError(kind, action, reason, cause);
    }
  }

  static Verdict classify(Throwable error) {
    if (error instanceof CommitFailedException) {
      return Verdict.retry("a concurrent commit conflicted", error);
    }
    if (error instanceof CommitStateUnknownException) {
      return Verdict.retry("the commit's outcome is unknown", error);
    }
    List<Throwable> chain = causes(error);
    for (Throwable cause : chain) {
      Verdict verdict = fatal(cause);
      if (verdict != null) {
        return verdict;
      }
    }
    for (Throwable cause : chain) {
      Verdict verdict = retried(cause);
      if (verdict != null) {
        return verdict;
      }
    }
    return Verdict.retry("an unrecognised error, retried as an outage", error);
  }

  private static Verdict fatal(Throwable cause) {
    if (cause instanceof NoSuchTableException) {
      return Verdict.fatal(Kind.TABLE_DROPPED, "the table was dropped", cause);
    }
    if (cause instanceof ValidationException) {
      return Verdict.fatal(
          Kind.SCHEMA_INCOMPATIBLE, "the table's schema does not take lake's rows", cause);
    }
    if (cause instanceof NotAuthorizedException) {
      return Verdict.fatal(Kind.AUTHENTICATION_REFUSED, "the credentials were refused", cause);
    }
    if (cause instanceof ForbiddenException || cause instanceof AccessDeniedException) {
      return Verdict.fatal(Kind.PERMISSION_DENIED, "permission was denied", cause);
    }
    String awsCode = awsErrorCode(cause);
    if (awsCode != null && AWS_AUTHENTICATION.contains(awsCode)) {
      return Verdict.fatal(
          Kind.AUTHENTICATION_REFUSED, "the credentials were refused (" + awsCode + ")", cause);
    }
    if (awsCode != null && AWS_PERMISSION.contains(awsCode)) {
      return Verdict.fatal(
          Kind.PERMISSION_DENIED, "permission was denied (" + awsCode + ")", cause);
    }
    int status = httpStatus(cause);
    if (status == 401) {
      return Verdict.fatal(Kind.AUTHENTICATION_REFUSED, "the credentials were refused", cause);
    }
    if (status == 403) {
      return Verdict.fatal(Kind.PERMISSION_DENIED, "permission was denied", cause);
    }
    return null;
  }

  private static Verdict retried(Throwable cause) {
    if (cause instanceof ServiceUnavailableException
        || cause instanceof ServiceFailureException
        || httpStatus(cause) >= 500) {
      return Verdict.retry("the catalog or storage is unavailable", cause);
    }
    if (cause instanceof SQLException sql
        && (sql.getErrorCode() == SQLITE_BUSY || sql.getErrorCode() == SQLITE_LOCKED)) {
      return Verdict.retry("the SQLite catalog is busy", cause);
    }
    if (cause instanceof IOException
        || cause instanceof UncheckedIOException
        || cause instanceof TimeoutException
        || cause instanceof SQLException) {
      return Verdict.retry("the catalog or storage is unavailable", cause);
    }
    return null;
  }

  /** The error and its causes, outermost first, each once (a cause chain may loop). */
  private static List<Throwable> causes(Throwable error) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable cause = error; cause != null && seen.add(cause); cause = cause.getCause()) {
      chain.add(cause);
    }
    return chain;
  }

  /**
   * The AWS SDK's error code ({@code AwsServiceException.awsErrorDetails().errorCode()}), read by
   * reflection so that lake-core needs no AWS dependency; null for other errors.
   */
  private static String awsErrorCode(Throwable cause) {
    Object details = invoke(cause, "awsErrorDetails");
    Object code = details == null ? null : invoke(details, "errorCode");
    return code instanceof String text ? text : null;
  }

  /** The HTTP status of an AWS SDK service error ({@code statusCode()}), or 0. */
  private static int httpStatus(Throwable cause) {
    if (!cause.getClass().getName().startsWith("software.amazon.awssdk.")) {
      return 0;
    }
    Object status = invoke(cause, "statusCode");
    return status instanceof Integer code ? code : 0;
  }

  private static Object invoke(Object target, String method) {
    if (!target.getClass().getName().startsWith("software.amazon.awssdk.")) {
      return null;
    }
    try {
      Method accessor = target.getClass().getMethod(method);
      return accessor.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
