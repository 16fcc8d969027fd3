package dev.lake.testing.binance;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;

/** The shared Jackson mapper and small helpers for Binance's JSON. Thread-safe. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** {@code [["price","qty"],...]}. */
  static ArrayNode levels(List<String[]> levels) {
    ArrayNode array = array();
    for (String[] level : levels) {
      array.addArray().add(level[0]).add(level[1]);
    }
    return array;
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A JSON string literal, quoted and escaped. */
  static String quote(String text) {
    return write(MAPPER.getNodeFactory().textNode(text));
  }
}
