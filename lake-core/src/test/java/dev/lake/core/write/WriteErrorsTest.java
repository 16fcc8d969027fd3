package dev.lake.core.write;

import static org.assertj.core.api.Assertions.assertThat;

import dev.lake.core.write.FatalWriteError.Kind;
import dev.lake.core.write.WriteErrors.Decision;
import dev.lake.core.write.WriteErrors.Verdict;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.sql.SQLException;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.CommitStateUnknownException;
import org.apache.iceberg.exceptions.ForbiddenException;
import org.apache.iceberg.exceptions.NoSuchTableException;
import org.apache.iceberg.exceptions.NotAuthorizedException;
import org.apache.iceberg.exceptions.RuntimeIOException;
import org.apache.iceberg.exceptions.ServiceFailureException;
import org.apache.iceberg.exceptions.ServiceUnavailableException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.jdbc.UncheckedSQLException;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.lakefake.FakeAwsServiceException;

/** Which errors the writer retries and which stop it, decided in one place. */
class WriteErrorsTest {
  private static void assertRetried(Throwable error, String reason) {
    Verdict verdict = WriteErrors.classify(error);
    assertThat(verdict.decision()).isEqualTo(Decision.RETRY);
    assertThat(verdict.kind()).isNull();
    assertThat(verdict.reason()).isEqualTo(reason);
  }

  private static void assertFatal(Throwable error, Kind kind, String reason) {
    Verdict verdict = WriteErrors.classify(error);
    assertThat(verdict.decision()).isEqualTo(Decision.FATAL);
    assertThat(verdict.kind()).isEqualTo(kind);
    assertThat(verdict.reason()).isEqualTo(reason);
  }

  @Test
  void aCommitConflictIsRetried() {
    assertRetried(
        new CommitFailedException("base metadata changed"), "a concurrent commit conflicted");
  }

  @Test
  void anUnknownCommitOutcomeIsRetried() {
    assertRetried(
        new CommitStateUnknownException(new IOException("reset")),
        "the commit's outcome is unknown");
  }

  @Test
  void storageErrorsAreRetried() {
    assertRetried(
        new RuntimeIOException(new IOException("No space left on device")),
        "the catalog or storage is unavailable");
    assertRetried(
        new UncheckedIOException(new ConnectException("Connection refused")),
        "the catalog or storage is unavailable");
    assertRetried(
        new RuntimeException(new SocketTimeoutException("Read timed out")),
        "the catalog or storage is unavailable");
  }

  @Test
  void anUnavailableOrFailingRestCatalogIsRetried() {
    assertRetried(
        new ServiceUnavailableException("Service unavailable: %s", "503"),
        "the catalog or storage is unavailable");
    assertRetried(
        new ServiceFailureException("Server error: %s", "500"),
        "the catalog or storage is unavailable");
  }

  @Test
  void anHttp5xxFromS3IsRetried() {
    assertRetried(
        new FakeAwsServiceException(503, "SlowDown"), "the catalog or storage is unavailable");
  }

  @Test
  void aBusyOrLockedSqliteCatalogIsRetried() {
    assertRetried(
        new UncheckedSQLException(
            new SQLException("[SQLITE_BUSY] The database file is locked", null, 5), "commit"),
        "the SQLite catalog is busy");
    assertRetried(
        new UncheckedSQLException(
            new SQLException("[SQLITE_LOCKED] A table in the database is locked", null, 6),
            "commit"),
        "the SQLite catalog is busy");
  }

  @Test
  void anUnrecognisedErrorIsRetriedAsAnOutage() {
    assertRetried(
        new IllegalStateException("something new"), "an unrecognised error, retried as an outage");
  }

  @Test
  void aDroppedTableIsFatal() {
    assertFatal(
        new NoSuchTableException("Table does not exist: crypto.orderbook_delta"),
        Kind.TABLE_DROPPED,
        "the table was dropped");
  }

  @Test
  void anIncompatibleSchemaIsFatal() {
    assertFatal(
        new ValidationException("Cannot find field 'price' in struct"),
        Kind.SCHEMA_INCOMPATIBLE,
        "the table's schema does not take lake's rows");
  }

  @Test
  void refusedCredentialsAreFatal() {
    assertFatal(
        new NotAuthorizedException("Not authorized: %s", "token expired"),
        Kind.AUTHENTICATION_REFUSED,
        "the credentials were refused");
    assertFatal(
        new FakeAwsServiceException(403, "InvalidAccessKeyId"),
        Kind.AUTHENTICATION_REFUSED,
        "the credentials were refused (InvalidAccessKeyId)");
    assertFatal(
        new FakeAwsServiceException(400, "ExpiredToken"),
        Kind.AUTHENTICATION_REFUSED,
        "the credentials were refused (ExpiredToken)");
    assertFatal(
        new FakeAwsServiceException(403, "SignatureDoesNotMatch"),
        Kind.AUTHENTICATION_REFUSED,
        "the credentials were refused (SignatureDoesNotMatch)");
    assertFatal(
        new FakeAwsServiceException(401, "Unauthorized"),
        Kind.AUTHENTICATION_REFUSED,
        "the credentials were refused");
  }

  @Test
  void deniedPermissionIsFatal() {
    assertFatal(
        new ForbiddenException("Forbidden: %s", "no write access"),
        Kind.PERMISSION_DENIED,
        "permission was denied");
    assertFatal(
        new FakeAwsServiceException(403, "AccessDenied"),
        Kind.PERMISSION_DENIED,
        "permission was denied (AccessDenied)");
    assertFatal(
        new UncheckedIOException(new AccessDeniedException("/data/crypto/orderbook_delta")),
        Kind.PERMISSION_DENIED,
        "permission was denied");
  }

  @Test
  void aFatalCauseInsideARetriedWrapperIsFatal() {
    assertFatal(
        new RuntimeIOException(
            new IOException("write failed", new FakeAwsServiceException(403, "AccessDenied"))),
        Kind.PERMISSION_DENIED,
        "permission was denied (AccessDenied)");
  }

  @Test
  void theFatalErrorNamesWhatFailedTheReasonAndTheCause() {
    Verdict verdict = WriteErrors.classify(new RuntimeException(new NoSuchTableException("gone")));
    assertThat(verdict.toFatalError("commit to table crypto.trades").message())
        .isEqualTo(
            "Cannot commit to table crypto.trades: the table was dropped (NoSuchTableException:"
                + " gone)");
  }
}
