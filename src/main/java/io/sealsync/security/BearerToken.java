package io.sealsync.security;

import io.sealsync.platform.Sha256;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two bearer forms of the agent-state protocol (agent-state.md §3.1). The raw token never
 * leaves this object except as its SHA-256, which is all the server stores.
 */
public final class BearerToken {
  public enum Kind {
    PROJECT,
    LIVE
  }

  // "Bearer" is case-sensitive; \s is JavaScript's whitespace class, Unicode spaces included.
  private static final Pattern PROJECT =
      Pattern.compile(
          "^Bearer\\s+(sov_proj_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})$",
          Pattern.UNICODE_CHARACTER_CLASS);
  private static final Pattern LIVE =
      Pattern.compile("^Bearer\\s+(sov_live_[A-Za-z0-9]+)$", Pattern.UNICODE_CHARACTER_CLASS);

  private final Kind kind;
  private final String tokenHash;

  private BearerToken(Kind kind, String token) {
    this.kind = kind;
    this.tokenHash = Sha256.hex(token);
  }

  /** Parses an {@code Authorization} header value (null counts as empty). */
  public static Optional<BearerToken> parse(String authorization) {
    String header = authorization == null ? "" : authorization;
    Matcher m = PROJECT.matcher(header);
    if (m.matches()) {
      return Optional.of(new BearerToken(Kind.PROJECT, m.group(1)));
    }
    m = LIVE.matcher(header);
    if (m.matches()) {
      return Optional.of(new BearerToken(Kind.LIVE, m.group(1)));
    }
    return Optional.empty();
  }

  public Kind kind() {
    return kind;
  }

  /** Lowercase hex SHA-256 of the whole token, prefix included. */
  public String tokenHash() {
    return tokenHash;
  }

  @Override
  public String toString() {
    return "BearerToken[" + kind + "]";
  }
}
