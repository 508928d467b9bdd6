package io.sealsync.agentstate;

import io.sealsync.platform.Hex;
import io.sealsync.platform.ServerSecrets;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Short-lived signed URLs for snapshot ciphertext (agent-state.md §10.4, D17): fetchable with a
 * plain GET and no Authorization header, bound to one snapshot, useless after they expire.
 */
@ApplicationScoped
public class CiphertextUrls {
  static final String PATH = "agent-state-blobs";
  private static final String KEY_NAME = "ciphertext-url-hmac";

  @Inject ServerSecrets secrets;

  @Inject AgentStateLimits limits;

  @Inject
  @ConfigProperty(name = "sealsync.public-base-url")
  Optional<String> publicBaseUrl;

  Clock clock = Clock.systemUTC();

  /** The URL for a snapshot; {@code requestBase} is used unless a public base URL is configured. */
  public String urlFor(URI requestBase, String snapshotId) {
    long expires = clock.instant().getEpochSecond() + limits.ciphertextUrlTtl().toSeconds();
    String base =
        publicBaseUrl.map(u -> u.endsWith("/") ? u : u + "/").orElse(requestBase.toString());
    return base
        + PATH
        + "/"
        + snapshotId
        + "?expires="
        + expires
        + "&signature="
        + sign(snapshotId, expires);
  }

  public boolean verify(String snapshotId, String expires, String signature) {
    if (snapshotId == null || expires == null || signature == null) {
      return false;
    }
    long exp;
    try {
      exp = Long.parseLong(expires);
    } catch (NumberFormatException e) {
      return false;
    }
    if (exp < clock.instant().getEpochSecond()) {
      return false;
    }
    return MessageDigest.isEqual(
        sign(snapshotId, exp).getBytes(StandardCharsets.US_ASCII),
        signature.getBytes(StandardCharsets.US_ASCII));
  }

  private String sign(String snapshotId, long expires) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secrets.randomKey(KEY_NAME), "HmacSHA256"));
      return Hex.encode(
          mac.doFinal((snapshotId + "\n" + expires).getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is required by every Java runtime", e);
    }
  }
}
