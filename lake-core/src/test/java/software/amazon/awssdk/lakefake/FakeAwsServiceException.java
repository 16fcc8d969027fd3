package software.amazon.awssdk.lakefake;

/**
 * A hand-written stand-in for the AWS SDK's {@code AwsServiceException}, which lake-core does not
 * depend on: the same package prefix and the two accessors lake's error classifier reads ({@code
 * statusCode()} and {@code awsErrorDetails().errorCode()}).
 */
public class FakeAwsServiceException extends RuntimeException {
  private final int statusCode;
  private final Details details;

  public FakeAwsServiceException(int statusCode, String errorCode) {
    super(errorCode + " (Service: S3, Status Code: " + statusCode + ")");
    this.statusCode = statusCode;
    this.details = new Details(errorCode);
  }

  public int statusCode() {
    return statusCode;
  }

  public Details awsErrorDetails() {
    return details;
  }

  /** Like {@code AwsErrorDetails}. */
  public static final class Details {
    private final String errorCode;

    Details(String errorCode) {
      this.errorCode = errorCode;
    }

    public String errorCode() {
      return errorCode;
    }
  }
}
