package dev.lake.testing.binance;

/**
 * A REST answer before it becomes HTTP: status, JSON body, the request weight it costs, and the
 * {@code Retry-After} seconds (or null).
 */
record RestResponse(int status, String body, int weight, Integer retryAfterSeconds) {
  static RestResponse ok(String body, int weight) {
    return new RestResponse(200, body, weight, null);
  }

  /** Binance's error body {@code {"code":..,"msg":".."}} with an HTTP status. */
  static RestResponse error(int status, int code, String message, int weight) {
    String body = Json.write(Json.object().put("code", code).put("msg", message));
    return new RestResponse(status, body, weight, null);
  }

  static RestResponse invalidSymbol() {
    return error(400, -1121, "Invalid symbol.", 1);
  }

  static RestResponse missingParameter(String name) {
    return error(
        400,
        -1102,
        "Mandatory parameter '" + name + "' was not sent, was empty/null, or malformed.",
        1);
  }

  static RestResponse invalidParameter(String name) {
    return error(400, -1130, "Data sent for parameter '" + name + "' is not valid.", 1);
  }

  static RestResponse illegalCharacters(String name) {
    return error(
        400,
        -1100,
        "Illegal characters found in parameter '" + name + "'; legal range is '^[0-9]{1,20}$'.",
        1);
  }

  static RestResponse notFound(String path, String method) {
    return error(404, -5000, "Path " + path + ", Method " + method + " is invalid", 0);
  }
}
