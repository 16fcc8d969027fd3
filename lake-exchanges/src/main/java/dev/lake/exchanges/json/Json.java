package dev.lake.exchanges.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;

/**
 * Strict reading of venue JSON: numbers given as decimal text (or JSON numbers) are parsed exactly
 * (correctly rounded) and checked to be finite; a missing or mistyped field is a {@link
 * MessageException} naming it.
 */
public final class Json {
  public static final JsonFactory FACTORY = JsonFactory.builder().build();
  public static final ObjectMapper MAPPER = new ObjectMapper(FACTORY);

  private Json() {}

  /** Parses a whole document into a tree. */
  public static JsonNode tree(byte[] bytes) {
    try {
      JsonNode node = MAPPER.readTree(bytes);
      if (node == null || node.isMissingNode()) {
        throw new MessageException("empty message");
      }
      return node;
    } catch (IOException e) {
      throw new MessageException("invalid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** The current token (a string or number) as a finite double. */
  public static double decimal(JsonParser parser, String field) throws IOException {
    JsonToken token = parser.currentToken();
    double value;
    if (token == JsonToken.VALUE_STRING) {
      try {
        value =
            NumberInput.parseDouble(
                parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength(), true);
      } catch (NumberFormatException e) {
        throw new MessageException(field + " is not a number: \"" + parser.getText() + "\"");
      }
      checkDecimalText(parser, field);
    } else if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
      value = parser.getDoubleValue();
    } else {
      throw new MessageException(field + " is not a number: " + token);
    }
    if (!Double.isFinite(value)) {
      throw new MessageException(field + " is out of range: " + parser.getText());
    }
    return value;
  }

  private static void checkDecimalText(JsonParser parser, String field) throws IOException {
    char[] chars = parser.getTextCharacters();
    int end = parser.getTextOffset() + parser.getTextLength();
    for (int i = parser.getTextOffset(); i < end; i++) {
      char c = chars[i];
      if (!(c >= '0' && c <= '9') && c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') {
        throw new MessageException(
            field + " is not a decimal number: \"" + parser.getText() + "\"");
      }
    }
  }

  /** The current token as a long (integer JSON number or integer text). */
  public static long integer(JsonParser parser, String field) throws IOException {
    JsonToken token = parser.currentToken();
    if (token == JsonToken.VALUE_NUMBER_INT) {
      try {
        return parser.getLongValue();
      } catch (IOException e) {
        throw new MessageException(field + " is out of range: " + parser.getText());
      }
    }
    if (token == JsonToken.VALUE_STRING) {
      try {
        return Long.parseLong(parser.getText());
      } catch (NumberFormatException e) {
        throw new MessageException(field + " is not an integer: \"" + parser.getText() + "\"");
      }
    }
    throw new MessageException(field + " is not an integer: " + token);
  }

  /** A required text field of a tree node. */
  public static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || !value.isValueNode()) {
      throw new MessageException("missing " + field);
    }
    return value.asText();
  }

  /** A required number field (number or decimal text) of a tree node, finite. */
  public static double decimal(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new MessageException("missing " + field);
    }
    double result;
    if (value.isNumber()) {
      result = value.doubleValue();
    } else if (value.isTextual()) {
      try {
        result = Double.parseDouble(value.textValue());
      } catch (NumberFormatException e) {
        throw new MessageException(field + " is not a number: \"" + value.textValue() + "\"");
      }
    } else {
      throw new MessageException(field + " is not a number: " + value);
    }
    if (!Double.isFinite(result)) {
      throw new MessageException(field + " is out of range: " + value);
    }
    return result;
  }

  /** A required integer field (number or integer text) of a tree node. */
  public static long integer(JsonNode node, String field) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      throw new MessageException("missing " + field);
    }
    if (value.isIntegralNumber() && value.canConvertToLong()) {
      return value.longValue();
    }
    if (value.isTextual()) {
      try {
        return Long.parseLong(value.textValue());
      } catch (NumberFormatException e) {
        throw new MessageException(field + " is not an integer: \"" + value.textValue() + "\"");
      }
    }
    throw new MessageException(field + " is not an integer: " + value);
  }

  /** Reads the fields of one JSON object; the parser stands on its START_OBJECT. */
  @FunctionalInterface
  public interface ObjectReader {
    void read(JsonParser parser) throws IOException;
  }

  /**
   * Parses a message that must be one JSON object, streaming: {@code reader} reads its fields.
   *
   * @throws MessageException when the bytes are not JSON, not an object, have data after it, or the
   *     reader refuses them
   */
  public static void parseObject(byte[] bytes, int length, ObjectReader reader) {
    try (JsonParser parser = FACTORY.createParser(bytes, 0, length)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new MessageException("not a JSON object");
      }
      reader.read(parser);
      if (parser.nextToken() != null) {
        throw new MessageException("trailing data after the JSON object");
      }
    } catch (MessageException e) {
      throw e;
    } catch (IOException e) {
      throw new MessageException("invalid JSON: " + firstLine(e.getMessage()), e);
    }
  }

  /** Skips the current value (object or array included). */
  public static void skip(JsonParser parser) throws IOException {
    parser.skipChildren();
  }

  /** The first line of a text (a parser's message), or empty for null. */
  public static String firstLine(String text) {
    if (text == null) {
      return "";
    }
    int newline = text.indexOf('\n');
    return newline < 0 ? text : text.substring(0, newline);
  }
}
