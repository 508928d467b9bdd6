package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RequestTargetsTest {
  @Test
  void targetsThatAreNoUri() {
    assertTrue(RequestTargets.isValid("/sync/pull", "after_bundle_seq=0&max_bundles=%20"));
    assertTrue(RequestTargets.isValid("/v2/snapshot/a%2Fb/latest", null));
    assertFalse(RequestTargets.isValid("/sync/push-sessions/{push}/chunks", null));
    assertFalse(RequestTargets.isValid("/sync/pull", "a={b}|c"));
    assertFalse(RequestTargets.isValid("/sync/pull", "%"));
    assertFalse(RequestTargets.isValid("/sync/%zz", null));
  }

  @Test
  void pathEscapesMustBeUtf8() {
    assertTrue(RequestTargets.hasUtf8Escapes("/a/%F0%9F%98%80/%2F"));
    assertTrue(RequestTargets.hasUtf8Escapes("/no/escapes"));
    assertFalse(RequestTargets.hasUtf8Escapes("/a/%FF"));
    assertFalse(RequestTargets.hasUtf8Escapes("/a/%C0%AF"));
    assertFalse(RequestTargets.hasUtf8Escapes("/a/%ED%A0%80"));
    assertFalse(RequestTargets.hasUtf8Escapes("/a/%C3"));
    assertFalse(RequestTargets.hasUtf8Escapes("/a/%zz"));
    assertFalse(RequestTargets.hasUtf8Escapes("/a/%4"));
  }

  @Test
  void queryParametersDecodeAsJaxRsDecodesThem() {
    assertEquals("-1", RequestTargets.queryParameter("since=-1&x=2", "since"));
    assertEquals("a b", RequestTargets.queryParameter("since=a+b", "since"));
    assertEquals("", RequestTargets.queryParameter("since", "since"));
    assertEquals("5", RequestTargets.queryParameter("%=1&since=5&since=6", "since"));
    assertNull(RequestTargets.queryParameter("other=1", "since"));
    assertNull(RequestTargets.queryParameter(null, "since"));
    assertThrows(
        IllegalArgumentException.class, () -> RequestTargets.queryParameter("since=%zz", "since"));
  }
}
