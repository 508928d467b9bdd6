package io.sealsync.platform;

import io.sealsync.platform.errors.ApiException;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/**
 * JSON request parsing and response writing for the operator API: snake_case records in and out.
 */
public final class JsonBodies {
  /** Operator requests are small; anything larger is refused unread. */
  public static final long MAX_BODY_BYTES = 64 * 1024;

  private static final JsonParserFactory PARSERS =
      JsonFactory.PROVIDER.createParserFactory(Map.of());

  // Created on first use, so code that only parses does not need a JSON-B provider.
  private static final class Writer {
    static final Jsonb JSONB =
        JsonbBuilder.create(
            new JsonbConfig()
                .withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES)
                .withNullValues(true));
  }

  private JsonBodies() {}

  /** The body as a JSON object; an empty body is an empty object. */
  public static JsonObject readObject(InputStream in, String contentLength) {
    byte[] body;
    try {
      body =
          BoundedBody.read(in, contentLength, MAX_BODY_BYTES)
              .orElseThrow(
                  () -> new ApiException(413, "request_too_large", "request body too large"));
    } catch (BoundedBody.UnreadableException e) {
      throw ApiException.badRequest(e.getMessage());
    }
    if (body.length == 0) {
      return JsonValue.EMPTY_JSON_OBJECT;
    }
    return parseObject(body)
        .orElseThrow(() -> ApiException.badRequest("the body must be a JSON object"));
  }

  /**
   * Exactly one JSON object and nothing after it; empty for anything else, including JSON the
   * parser refuses to represent.
   */
  public static Optional<JsonObject> parseObject(byte[] body) {
    try (JsonParser parser = PARSERS.createParser(new ByteArrayInputStream(body))) {
      if (!parser.hasNext() || parser.next() != JsonParser.Event.START_OBJECT) {
        return Optional.empty();
      }
      JsonObject value = parser.getObject();
      return parser.hasNext() ? Optional.empty() : Optional.of(value);
    } catch (RuntimeException refused) {
      // Beyond syntax errors (JsonException) the parser refuses input with runtime exceptions of
      // its own choosing: Parsson throws UnsupportedOperationException for a number longer than
      // its limit (1100 characters), a plain RuntimeException for nesting deeper than its limit
      // (1000), NumberFormatException for an exponent beyond the int range. The body is all the
      // parser reads, so whatever it throws is the client's input, never a server failure.
      return Optional.empty();
    }
  }

  public static String toJson(Object value) {
    return Writer.JSONB.toJson(value);
  }
}
