package io.sealsync.platform;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EncodingTest {
  @Test
  void hex64() {
    assertTrue(Hex.isLowerHex64("0".repeat(64)));
    assertTrue(Hex.isLowerHex64("a".repeat(64)));
    assertFalse(Hex.isLowerHex64("A".repeat(64)));
    assertTrue(Hex.isHex64("A".repeat(64)));
    assertFalse(Hex.isHex64("a".repeat(63)));
    assertFalse(Hex.isHex64("a".repeat(65)));
    assertFalse(Hex.isHex64("g".repeat(64)));
    assertFalse(Hex.isHex64(null));
  }

  @Test
  void base64AcceptsWhatClientsSend() {
    assertArrayEquals(new byte[] {0, 1, 2}, ForgivingBase64.decode("AAEC").orElseThrow());
    assertArrayEquals(new byte[] {0, 1}, ForgivingBase64.decode("AAE=").orElseThrow());
    assertArrayEquals(new byte[] {0}, ForgivingBase64.decode("AA==").orElseThrow());
    assertArrayEquals(new byte[0], ForgivingBase64.decode("").orElseThrow());
  }

  @Test
  void base64IsForgivingLikeTheReference() {
    assertArrayEquals(new byte[] {0, 1}, ForgivingBase64.decode("AAE").orElseThrow());
    assertArrayEquals(new byte[] {0}, ForgivingBase64.decode("AA").orElseThrow());
    assertArrayEquals(new byte[] {0, 1, 2}, ForgivingBase64.decode(" AA\nE C\t").orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"A", "AAAAA", "AA=A", "A===", "AA-_", "AA\u00e9A", "AAE==", "====", "AAEC="})
  void base64RefusesWhatNoDecoderReads(String s) {
    assertTrue(ForgivingBase64.decode(s).isEmpty(), s);
  }

  /** The strict fast path never answers differently from the forgiving rules. */
  @Test
  void base64FastPathAgreesWithTheForgivingRules() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \n-_";
    for (int i = 0; i < 200_000; i++) {
      StringBuilder sb = new StringBuilder();
      int len = random.nextInt(14);
      for (int j = 0; j < len; j++) {
        sb.append(alphabet.charAt(random.nextInt(i % 2 == 0 ? 65 : alphabet.length())));
      }
      String s = sb.toString();
      java.util.Optional<byte[]> fast = ForgivingBase64.decode(s);
      java.util.Optional<byte[]> forgiving = ForgivingBase64.forgiving(s);
      assertEquals(forgiving.isPresent(), fast.isPresent(), s);
      forgiving.ifPresent(b -> assertArrayEquals(b, fast.get(), s));
    }
  }

  @Test
  void sha256OfTheVectorBlock() {
    byte[] blob =
        Hex.decode(
            "000102030405060708090a0b0a126cf2a5b213626a58907b3fe3d5e44db587b713ae5850ef3c18c528f70819eecdde8c28a7d503433a6248c143d423133eda8ca3fd6586f312ebf4f26f7ba08801e65b2dd206b6ca2f2c0f2d7e343f37eef0b088");
    assertEquals(
        "6a7710868bcc124d2b8f204e4834b6f7e36c04f678ad9c3b02212e329b9e2ffd", Sha256.hex(blob));
  }

  @Test
  void timestampsHaveOneForm() {
    assertEquals(
        "2026-05-20T08:00:00.123Z",
        Timestamps.format(Instant.parse("2026-05-20T08:00:00.123456Z")));
    assertEquals(
        "2026-05-20T08:00:00.000Z", Timestamps.format(Instant.parse("2026-05-20T08:00:00Z")));
  }

  @Test
  void boundedBodyRefusesOversizedBodies() throws Exception {
    byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(ten, BoundedBody.read(new ByteArrayInputStream(ten), null, 10).orElseThrow());
    assertTrue(BoundedBody.read(new ByteArrayInputStream(ten), null, 9).isEmpty());
    // A declared length over the cap is refused without buffering the stream.
    assertTrue(BoundedBody.read(null, "11", 10).isEmpty());
  }

  @Test
  void theBodyIsWhatWasSentWhateverLengthItDeclares() throws Exception {
    byte[] ten = "0123456789".getBytes(StandardCharsets.US_ASCII);
    for (String declared : List.of("10", "9", "5", "1", "0", "x", " 10 ")) {
      assertArrayEquals(
          ten,
          BoundedBody.read(new ByteArrayInputStream(ten), declared, 10).orElseThrow(),
          declared);
    }
    // Declared within the cap but sent beyond it: refused, as an undeclared oversized body is.
    assertTrue(BoundedBody.read(new ByteArrayInputStream(new byte[11]), "3", 10).isEmpty());
  }

  @Test
  void refusedBodiesAreConsumedSoThatTheClientReadsTheAnswer() throws Exception {
    ByteArrayInputStream declared = new ByteArrayInputStream(new byte[11]);
    assertTrue(BoundedBody.read(declared, "11", 10).isEmpty());
    assertEquals(0, declared.available());
    ByteArrayInputStream undeclared = new ByteArrayInputStream(new byte[100_000]);
    assertTrue(BoundedBody.read(undeclared, null, 10).isEmpty());
    assertEquals(0, undeclared.available());
    // A body declared larger than the discard limit is left alone: reading it is not worth it.
    ByteArrayInputStream huge = new ByteArrayInputStream(new byte[16]);
    assertTrue(BoundedBody.read(huge, String.valueOf(BoundedBody.DISCARD_LIMIT + 1), 10).isEmpty());
    assertEquals(16, huge.available());
  }

  @Test
  void jsNumberSemantics() {
    assertEquals(16, JsNumbers.toNumber("0x10"));
    assertEquals(100, JsNumbers.toNumber("1e2"));
    assertEquals(5, JsNumbers.toNumber(" 5 "));
    assertEquals(0, JsNumbers.toNumber(""));
    assertEquals(1.5, JsNumbers.toNumber("1.5"));
    assertEquals(-1, JsNumbers.toNumber("-1"));
    assertTrue(Double.isNaN(JsNumbers.toNumber("abc")));
    assertTrue(Double.isNaN(JsNumbers.toNumber("1_000")));
    assertTrue(Double.isInfinite(JsNumbers.toNumber("Infinity")));
    assertEquals(0, JsNumbers.toInt32(Double.NaN));
    assertEquals(2, JsNumbers.toInt32(2.9));
    assertEquals(-2, JsNumbers.toInt32(-2.9));
    assertEquals(1410065408, JsNumbers.toInt32(1e10));
    assertEquals(-1, JsNumbers.toInt32(4294967295.0));
  }

  @Test
  void longDigitStringsThatAreNoNumberFailFast() {
    // The number pattern once backtracked quadratically: 0.4 s for 7000 digits and a letter.
    String digits = "9".repeat(50_000);
    assertTimeoutPreemptively(
        java.time.Duration.ofSeconds(5),
        () -> {
          assertTrue(Double.isNaN(JsNumbers.toNumber(digits + "x")));
          assertTrue(Double.isNaN(JsNumbers.toNumber(digits + ".5.")));
          assertTrue(Double.isInfinite(JsNumbers.toNumber(digits + "0".repeat(400))));
        });
    assertEquals(1.5, JsNumbers.toNumber("1.5"));
    assertEquals(15, JsNumbers.toNumber("1.5e1"));
    assertEquals(0.5, JsNumbers.toNumber(".5"));
    assertEquals(1, JsNumbers.toNumber("1."));
    assertTrue(Double.isNaN(JsNumbers.toNumber(".")));
  }
}
