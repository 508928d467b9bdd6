package io.sealsync.agentstate;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * A client-chosen agent id: 1 to 128 characters (UTF-16 code units, as the SDK counts them), none
 * of them U+0000, which no PostgreSQL text can hold.
 */
public record AgentId(String value) {
  public static final int MAX_LENGTH = 128;

  public AgentId {
    if (value == null
        || value.isEmpty()
        || value.length() > MAX_LENGTH
        || value.indexOf('\u0000') >= 0) {
      throw AgentStateError.BAD_AGENT_ID.exception();
    }
  }

  public static AgentId of(String value) {
    return new AgentId(value);
  }

  /** The agent id of a raw path segment, percent-decoded as JavaScript does (§2.4). */
  public static AgentId fromPath(String rawSegment) {
    return new AgentId(percentDecode(rawSegment));
  }

  /** JavaScript's decodeURIComponent: malformed escapes or UTF-8 are {@code bad_agent_id}. */
  static String percentDecode(String raw) {
    if (raw.indexOf('%') < 0) {
      return raw;
    }
    StringBuilder out = new StringBuilder(raw.length());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < raw.length()) {
      char c = raw.charAt(i);
      if (c != '%') {
        out.append(c);
        i++;
        continue;
      }
      bytes.reset();
      while (i < raw.length() && raw.charAt(i) == '%') {
        if (i + 3 > raw.length()) {
          throw AgentStateError.BAD_AGENT_ID.exception();
        }
        int hi = Character.digit(raw.charAt(i + 1), 16);
        int lo = Character.digit(raw.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw AgentStateError.BAD_AGENT_ID.exception();
        }
        bytes.write(hi * 16 + lo);
        i += 3;
      }
      try {
        out.append(
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes.toByteArray())));
      } catch (CharacterCodingException e) {
        throw AgentStateError.BAD_AGENT_ID.exception();
      }
    }
    return out.toString();
  }

  @Override
  public String toString() {
    return value;
  }
}
