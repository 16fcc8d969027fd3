package dev.lake.testing.binance;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.lake.core.model.MarketType;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Answers what a client sends on a market-stream connection: {@code SUBSCRIBE}, {@code
 * UNSUBSCRIBE}, {@code LIST_SUBSCRIPTIONS}, {@code SET_PROPERTY} and {@code GET_PROPERTY}, with
 * Binance's error codes (0 unknown property, 1 bad value, 2 invalid request, 3 invalid JSON; after
 * invalid JSON, futures closes the connection). Stateless and thread-safe.
 */
final class StreamRequests {
  private static final ObjectReader READER =
      Json.MAPPER.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final String COMBINED = "combined";

  /** The text to send back, and whether to close the connection after it. */
  record Reply(String text, boolean close) {}

  private StreamRequests() {}

  static Reply answer(StreamConnection connection, String text) {
    JsonNode request;
    try {
      request = READER.readTree(text);
    } catch (JsonProcessingException e) {
      return invalidJson(connection, e.getLocation());
    }
    if (request == null || request.isMissingNode()) {
      return invalidJson(connection, null);
    }
    if (!request.isObject()) {
      return error(2, "Invalid request: expected a JSON object", NullNode.getInstance());
    }
    JsonNode id = request.get("id");
    if (id == null || !(id.isIntegralNumber() || id.isTextual() || id.isNull())) {
      return error(
          2, "Invalid request: request ID must be an unsigned integer", NullNode.getInstance());
    }
    JsonNode method = request.get("method");
    if (method == null || !method.isTextual()) {
      return error(2, "Invalid request: missing field `method`", id);
    }
    return answer(connection, method.asText(), request.get("params"), id);
  }

  private static Reply answer(
      StreamConnection connection, String method, JsonNode params, JsonNode id) {
    switch (method) {
      case "SUBSCRIBE":
      case "UNSUBSCRIBE":
        return changeSubscriptions(connection, method.equals("SUBSCRIBE"), params, id);
      case "LIST_SUBSCRIPTIONS":
        ArrayNode streams = Json.array();
        connection.streams().forEach(streams::add);
        return result(streams, id);
      case "SET_PROPERTY":
        return setProperty(connection, params, id);
      case "GET_PROPERTY":
        return getProperty(connection, params, id);
      default:
        return error(
            2,
            "Invalid request: unknown variant `"
                + method
                + "`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`,"
                + " `SET_PROPERTY`, `GET_PROPERTY`",
            id);
    }
  }

  private static Reply changeSubscriptions(
      StreamConnection connection, boolean subscribe, JsonNode params, JsonNode id) {
    Optional<List<String>> streams = streamNames(params);
    if (streams.isEmpty()) {
      return error(2, "Invalid request: params must be an array of stream names", id);
    }
    if (subscribe) {
      connection.subscribe(streams.get());
    } else {
      connection.unsubscribe(streams.get());
    }
    return result(null, id);
  }

  private static Reply setProperty(StreamConnection connection, JsonNode params, JsonNode id) {
    if (params == null || !params.isArray() || params.size() != 2) {
      return error(2, "Invalid request: property name must be a string", id);
    }
    if (!COMBINED.equals(params.get(0).asText(null))) {
      return error(0, "Unknown property", id);
    }
    if (!params.get(1).isBoolean()) {
      return error(1, "Invalid value type: expected Boolean", id);
    }
    connection.combined(params.get(1).booleanValue());
    return result(null, id);
  }

  private static Reply getProperty(StreamConnection connection, JsonNode params, JsonNode id) {
    if (params == null || !params.isArray() || params.size() != 1) {
      return error(2, "Invalid request: property name must be a string", id);
    }
    if (!COMBINED.equals(params.get(0).asText(null))) {
      return error(0, "Unknown property", id);
    }
    return result(BooleanNode.valueOf(connection.combined()), id);
  }

  private static Optional<List<String>> streamNames(JsonNode params) {
    if (params == null || !params.isArray()) {
      return Optional.empty();
    }
    List<String> names = new ArrayList<>(params.size());
    for (JsonNode param : params) {
      if (!param.isTextual()) {
        return Optional.empty();
      }
      names.add(param.asText());
    }
    return Optional.of(names);
  }

  private static Reply invalidJson(StreamConnection connection, JsonLocation location) {
    int line = location == null ? 1 : Math.max(1, location.getLineNr());
    int column = location == null ? 1 : Math.max(1, location.getColumnNr());
    String message = "Invalid JSON: expected value at line " + line + " column " + column;
    boolean futures = connection.route().market() == MarketType.FUTURE;
    return new Reply(StreamMessages.error(3, message, null), futures);
  }

  private static Reply result(JsonNode result, JsonNode id) {
    return new Reply(StreamMessages.result(result, id), false);
  }

  private static Reply error(int code, String message, JsonNode id) {
    return new Reply(StreamMessages.error(code, message, id), false);
  }
}
