package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.platform.errors.ApiException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the JSON parser refuses is the client's bad body, never a server failure. */
class JsonBodiesTest {
  static String[] refusedByTheParser() {
    return new String[] {
      // Longer than the parser's number limit (Parsson: 1100 characters).
      "{\"a\":" + "1".repeat(100_000) + "}",
      "{\"a\":" + "1".repeat(1_101) + "}",
      "{\"a\":[-" + "9".repeat(5_000) + "]}",
      "{\"a\":0." + "0".repeat(2_000) + "1}",
      // Exponents beyond the int range.
      "{\"a\":1e2147483648}",
      "{\"a\":1e-2147483649}",
      // Deeper than the parser's nesting limit (Parsson: 1000).
      "{\"a\":" + "[".repeat(1_001) + "]".repeat(1_001) + "}",
      "{\"a\":" + "{\"a\":".repeat(5_000) + "1" + "}".repeat(5_000) + "}",
    };
  }

  @ParameterizedTest
  @MethodSource("refusedByTheParser")
  void parserRefusalsAreNoObject(String json) {
    assertTrue(JsonBodies.parseObject(json.getBytes(StandardCharsets.UTF_8)).isEmpty());
  }

  @Test
  void withinTheLimitsTheObjectParses() {
    String json =
        "{\"a\":" + "1".repeat(1_000) + ",\"b\":" + "[".repeat(500) + "]".repeat(500) + "}";
    assertEquals(2, JsonBodies.parseObject(json.getBytes(StandardCharsets.UTF_8)).get().size());
  }

  @Test
  void aBodyThatCannotBeReadIsABadRequest() {
    InputStream broken =
        new InputStream() {
          @Override
          public int read() throws IOException {
            throw new IOException("Illegal chunk length");
          }
        };
    ApiException e = assertThrows(ApiException.class, () -> JsonBodies.readObject(broken, null));
    assertEquals(400, e.status());
    assertEquals("invalid_request", e.code());
  }
}
