package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NegotiationHeaderFilterTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "*/*",
        "application/json",
        "text/event-stream",
        "application/json;q=0.5, text/*;q=0",
        "text/html; charset=\"utf-8\"; q=1.000",
        "application/json,,",
        "image/png, application/pdf",
        ""
      })
  void wellFormedAcceptHeadersPass(String value) {
    assertTrue(NegotiationHeaderFilter.validAccept(value), value);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "garbage",
        "application/json;q=abc",
        "application/json;q=1.5",
        "application/json;q=0.1234",
        "application/json;;;==",
        "application/",
        "text/html;charset",
        "/json"
      })
  void malformedAcceptHeadersAreIgnored(String value) {
    assertFalse(NegotiationHeaderFilter.validAccept(value), value);
  }

  @Test
  void contentTypeIsOneMediaType() {
    assertTrue(NegotiationHeaderFilter.validContentType("application/json"));
    assertTrue(NegotiationHeaderFilter.validContentType("application/json; charset=utf-8"));
    assertTrue(NegotiationHeaderFilter.validContentType("multipart/form-data; boundary=xyz"));
    assertFalse(NegotiationHeaderFilter.validContentType("garbage"));
    assertFalse(NegotiationHeaderFilter.validContentType("application/json, text/plain"));
    assertFalse(NegotiationHeaderFilter.validContentType("application/json;;;=="));
    assertFalse(NegotiationHeaderFilter.validContentType(""));
  }
}
