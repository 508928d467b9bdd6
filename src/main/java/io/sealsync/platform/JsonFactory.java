package io.sealsync.platform;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;

/**
 * JSON builders and readers from one provider looked up once. {@code jakarta.json.Json} looks its
 * provider up again on every call, a service-loader scan through the server's class loaders that
 * cost about a tenth of a replicate request's CPU; each new provider also starts with an empty
 * buffer pool.
 */
public final class JsonFactory {
  public static final JsonProvider PROVIDER = JsonProvider.provider();

  private JsonFactory() {}

  public static JsonObjectBuilder object() {
    return PROVIDER.createObjectBuilder();
  }

  public static JsonObjectBuilder object(JsonObject initial) {
    return PROVIDER.createObjectBuilder(initial);
  }

  public static JsonArrayBuilder array() {
    return PROVIDER.createArrayBuilder();
  }

  /** A JSON object from text the server itself produced or stored (never a client's body). */
  public static JsonObject readObject(String json) {
    try (JsonReader r = PROVIDER.createReader(new StringReader(json))) {
      return r.readObject();
    }
  }
}
