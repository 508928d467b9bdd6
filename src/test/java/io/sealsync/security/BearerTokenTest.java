package io.sealsync.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.platform.Sha256;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BearerTokenTest {
  private static final String PROJECT = "sov_proj_3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b";

  @Test
  void projectTokenIsHashedWhole() {
    BearerToken t = BearerToken.parse("Bearer " + PROJECT).orElseThrow();
    assertEquals(BearerToken.Kind.PROJECT, t.kind());
    assertEquals(Sha256.hex(PROJECT), t.tokenHash());
  }

  @Test
  void liveKeyIsHashedWithItsPrefix() {
    BearerToken t = BearerToken.parse("Bearer sov_live_AbC123xyz").orElseThrow();
    assertEquals(BearerToken.Kind.LIVE, t.kind());
    assertEquals(Sha256.hex("sov_live_AbC123xyz"), t.tokenHash());
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer  ", "Bearer\t", "Bearer\u00a0", "Bearer\u2003", "Bearer \u3000 "})
  void anyWhitespaceSeparatesTheScheme(String prefix) {
    assertTrue(BearerToken.parse(prefix + PROJECT).isPresent(), prefix);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Bearer",
        "Bearer ",
        "bearer sov_proj_3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b",
        "BearerSov",
        "Bearer sov_proj_3F2B8C1E-9A4D-4E6F-8B2A-1C3D5E7F9A0B",
        "Bearer sov_proj_3f2b8c1e-9a4d-3e6f-8b2a-1c3d5e7f9a0b",
        "Bearer sov_proj_3f2b8c1e-9a4d-4e6f-7b2a-1c3d5e7f9a0b",
        "Bearer sov_proj_mock_key",
        "Bearer sov_test_abc",
        "Bearer sov_live_",
        "Bearer sov_live_abc-def",
        "Bearer sov_live_abc\n",
        "Bearer sov_proj_3f2b8c1e-9a4d-4e6f-8b2a-1c3d5e7f9a0b ",
        " Bearer sov_live_abc",
        "Basic YWRtaW46YWRtaW4="
      })
  void everythingElseIsRefused(String header) {
    assertTrue(BearerToken.parse(header).isEmpty(), header);
  }

  @Test
  void absentHeaderIsRefused() {
    assertTrue(BearerToken.parse(null).isEmpty());
  }

  @Test
  void issuedLiveKeysParseAsLiveKeys() {
    for (int i = 0; i < 100; i++) {
      String token = ApiKeys.newToken();
      BearerToken t = BearerToken.parse("Bearer " + token).orElseThrow();
      assertEquals(BearerToken.Kind.LIVE, t.kind());
      assertEquals(49, token.length());
    }
  }
}
