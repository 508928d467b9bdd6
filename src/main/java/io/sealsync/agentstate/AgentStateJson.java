package io.sealsync.agentstate;

import io.sealsync.platform.JsonBodies;
import io.sealsync.platform.JsonFactory;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.JsonWriterFactory;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.util.Map;
import java.util.OptionalLong;

/**
 * JSON in and out for the agent-state protocol: compact bodies, numbers judged as JavaScript would.
 */
public final class AgentStateJson {
  /** 2^53 - 1: the largest integer a JavaScript client represents exactly. */
  public static final long MAX_SAFE_INTEGER = 9007199254740991L;

  private static final JsonWriterFactory WRITERS =
      JsonFactory.PROVIDER.createWriterFactory(Map.of());

  private AgentStateJson() {}

  /** The body as a JSON object, or {@code invalid_json}. */
  public static JsonObject parseObject(byte[] body) {
    return JsonBodies.parseObject(body).orElseThrow(AgentStateError.INVALID_JSON::exception);
  }

  /** A JSON number that is integral (1.0 counts, as in JavaScript) and within 0..2^53-1. */
  public static OptionalLong nonNegativeSafeInteger(JsonValue value) {
    if (value == null || value.getValueType() != JsonValue.ValueType.NUMBER) {
      return OptionalLong.empty();
    }
    BigDecimal n = ((JsonNumber) value).bigDecimalValue();
    if (n.signum() < 0) {
      return OptionalLong.empty();
    }
    if (n.signum() == 0) {
      return OptionalLong.of(0);
    }
    // Reject huge exponents before materializing the integer; in long arithmetic, because a scale
    // near Integer.MIN_VALUE (1e2147483647) overflows the int difference.
    if ((long) n.precision() - n.scale() > 16) {
      return OptionalLong.empty();
    }
    BigDecimal stripped = n.stripTrailingZeros();
    if (stripped.scale() > 0) {
      return OptionalLong.empty();
    }
    long v = stripped.longValueExact();
    return v <= MAX_SAFE_INTEGER ? OptionalLong.of(v) : OptionalLong.empty();
  }

  public static byte[] write(JsonValue value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (var writer = WRITERS.createWriter(out)) {
      writer.write(value);
    }
    return out.toByteArray();
  }

  public static JsonObject error(String code) {
    return JsonFactory.object().add("error", code).build();
  }
}
