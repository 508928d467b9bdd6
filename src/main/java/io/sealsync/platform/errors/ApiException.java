package io.sealsync.platform.errors;

/**
 * An error of the operator API and other non-protocol routes, answered as {@code
 * {"error":"<code>","message":"<text>"}} by {@link ApiExceptionMapper}.
 */
public class ApiException extends RuntimeException implements ExpectedFailure {
  private final int status;
  private final String code;

  public ApiException(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public static ApiException badRequest(String message) {
    return new ApiException(400, "invalid_request", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }
}
