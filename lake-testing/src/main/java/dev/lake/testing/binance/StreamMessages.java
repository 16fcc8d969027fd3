package dev.lake.testing.binance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The WebSocket messages Binance sends: event payloads, the combined envelope, replies. */
final class StreamMessages {
  private StreamMessages() {}

  /**
   * A {@code depthUpdate} payload; spot has no transaction time and no {@code pu} (both null),
   * futures has both.
   */
  static String depthUpdate(
      String symbol,
      long eventTimeMs,
      Long transactionTimeMs,
      long firstUpdateId,
      long lastUpdateId,
      Long prevUpdateId,
      List<String[]> bids,
      List<String[]> asks) {
    ObjectNode node = Json.object().put("e", "depthUpdate").put("E", eventTimeMs);
    if (transactionTimeMs != null) {
      node.put("T", transactionTimeMs);
    }
    node.put("s", symbol).put("U", firstUpdateId).put("u", lastUpdateId);
    if (prevUpdateId != null) {
      node.put("pu", prevUpdateId);
    }
    node.set("b", Json.levels(bids));
    node.set("a", Json.levels(asks));
    return Json.write(node);
  }

  /** A {@code forceOrder} payload: a liquidation filled in full at its price. */
  static String forceOrder(
      String symbol,
      String side,
      String price,
      String quantity,
      long tradeTimeMs,
      long eventTimeMs) {
    ObjectNode order =
        Json.object()
            .put("s", symbol)
            .put("S", side)
            .put("o", "LIMIT")
            .put("f", "IOC")
            .put("q", quantity)
            .put("p", price)
            .put("ap", price)
            .put("X", "FILLED")
            .put("l", quantity)
            .put("z", quantity)
            .put("T", tradeTimeMs);
    ObjectNode node = Json.object().put("e", "forceOrder").put("E", eventTimeMs);
    node.set("o", order);
    return Json.write(node);
  }

  /** A {@code trade} payload; {@code m} true: the buyer is the maker (the taker sold). */
  static String trade(
      String symbol,
      long tradeId,
      String price,
      String quantity,
      long tradeTimeMs,
      boolean buyerIsMaker,
      long eventTimeMs) {
    return Json.write(
        Json.object()
            .put("e", "trade")
            .put("E", eventTimeMs)
            .put("s", symbol)
            .put("t", tradeId)
            .put("p", price)
            .put("q", quantity)
            .put("T", tradeTimeMs)
            .put("m", buyerIsMaker)
            .put("M", true));
  }

  /** The combined-stream envelope {@code {"stream":..,"data":..}} around a payload. */
  static String combined(String stream, String payload) {
    return "{\"stream\":" + Json.quote(stream) + ",\"data\":" + payload + "}";
  }

  /** A reply to a request: {@code {"result":..,"id":..}}. */
  static String result(JsonNode result, JsonNode id) {
    ObjectNode node = Json.object();
    node.set("result", result == null ? NullNode.getInstance() : result);
    node.set("id", id == null ? NullNode.getInstance() : id);
    return Json.write(node);
  }

  /** An error reply {@code {"error":{"code":..,"msg":..},"id":..}}; without id when null. */
  static String error(int code, String message, JsonNode id) {
    ObjectNode node = Json.object();
    node.putObject("error").put("code", code).put("msg", message);
    if (id != null) {
      node.set("id", id);
    }
    return Json.write(node);
  }
}
