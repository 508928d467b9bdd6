package io.sealsync.agentstate;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.ServerSecrets;
import io.sealsync.platform.Sha256;
import io.sealsync.platform.Timestamps;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Signs what the server acknowledged, so a client can prove it later. A receipt is a flat JSON
 * object of strings and integers; its signature is Ed25519 over the UTF-8 bytes of the receipt
 * without {@code signature}, in the protocol's canonical JSON (keys sorted by UTF-16 code units, no
 * whitespace, strings escaped as JSON.stringify does).
 */
@ApplicationScoped
public class ServerReceipts {
  static final String SECRET_NAME = "receipt-ed25519-seed";

  @Inject ServerSecrets secrets;

  @Inject
  @ConfigProperty(name = "sealsync.receipts.private-key")
  Optional<String> configuredSeed;

  private volatile Ed25519PrivateKeyParameters key;

  /** Derived from the key once: deriving it is a curve multiplication, on every receipt before. */
  private volatile String keyId;

  /** The signing key: configured (base64 of the 32-byte seed), else generated once and stored. */
  Ed25519PrivateKeyParameters key() {
    Ed25519PrivateKeyParameters k = key;
    if (k == null) {
      byte[] seed =
          configuredSeed
              .filter(s -> !s.isBlank())
              .map(s -> Base64.getDecoder().decode(s.trim()))
              .orElseGet(
                  () ->
                      secrets.get(
                          SECRET_NAME,
                          () -> new Ed25519PrivateKeyParameters(new SecureRandom()).getEncoded()));
      k = new Ed25519PrivateKeyParameters(seed, 0);
      key = k;
    }
    return k;
  }

  public byte[] publicKey() {
    return key().generatePublicKey().getEncoded();
  }

  /** First 16 hex characters of SHA-256 of the raw public key: names the key in every receipt. */
  public String keyId() {
    String id = keyId;
    if (id == null) {
      id = Sha256.hex(publicKey()).substring(0, 16);
      keyId = id;
    }
    return id;
  }

  /** Receipt for the replication log of {@code tenant} up to and including {@code seq}. */
  public JsonObject replication(String tenant, long seq, String merkleRoot, OffsetDateTime at) {
    Map<String, Object> r = new TreeMap<>();
    r.put("kind", "replication");
    r.put("tenant", tenant);
    r.put("sequence_number", seq);
    r.put("merkle_root", merkleRoot);
    r.put("issued_at", Timestamps.format(at));
    return sign(r);
  }

  /** Receipt for one stored snapshot of an agent's lineage. */
  public JsonObject snapshot(String tenant, SnapshotReceipt s, OffsetDateTime at) {
    Map<String, Object> r = new TreeMap<>();
    r.put("kind", "snapshot");
    r.put("tenant", tenant);
    r.put("agent_id", s.agentId());
    r.put("sequence_number", s.sequenceNumber());
    r.put("snapshot_id", s.snapshotId());
    r.put("client_payload_hash", s.clientPayloadHash());
    r.put("issued_at", Timestamps.format(at));
    return sign(r);
  }

  private JsonObject sign(Map<String, Object> fields) {
    fields.put("key_id", keyId());
    byte[] message = canonical(fields).getBytes(StandardCharsets.UTF_8);
    Ed25519Signer signer = new Ed25519Signer();
    signer.init(true, key());
    signer.update(message, 0, message.length);
    String signature = Base64.getEncoder().encodeToString(signer.generateSignature());
    JsonObjectBuilder b = JsonFactory.object();
    fields.forEach(
        (k, v) -> {
          if (v instanceof Long n) {
            b.add(k, n);
          } else {
            b.add(k, (String) v);
          }
        });
    return b.add("signature", signature).build();
  }

  /**
   * Verifies a receipt as a client would: the signed bytes are the canonical JSON without
   * signature.
   */
  public static boolean verify(JsonObject receipt, byte[] publicKey) {
    Map<String, Object> fields = new TreeMap<>();
    receipt.forEach(
        (k, v) -> {
          if (!k.equals("signature")) {
            fields.put(
                k,
                v.getValueType() == jakarta.json.JsonValue.ValueType.NUMBER
                    ? (Object) ((jakarta.json.JsonNumber) v).longValueExact()
                    : ((jakarta.json.JsonString) v).getString());
          }
        });
    byte[] message = canonical(fields).getBytes(StandardCharsets.UTF_8);
    Ed25519Signer verifier = new Ed25519Signer();
    verifier.init(false, new Ed25519PublicKeyParameters(publicKey, 0));
    verifier.update(message, 0, message.length);
    return verifier.verifySignature(Base64.getDecoder().decode(receipt.getString("signature")));
  }

  /** Canonical JSON of a flat object of strings and integers (agent-state.md §11.1). */
  static String canonical(Map<String, Object> fields) {
    StringBuilder sb = new StringBuilder("{");
    new TreeMap<>(fields)
        .forEach(
            (k, v) -> {
              if (sb.length() > 1) {
                sb.append(',');
              }
              quote(sb, k);
              sb.append(':');
              if (v instanceof Long n) {
                sb.append(n.longValue());
              } else {
                quote(sb, (String) v);
              }
            });
    return sb.append('}').toString();
  }

  private static void quote(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\b' -> sb.append("\\b");
        case '\f' -> sb.append("\\f");
        case '\n' -> sb.append("\\n");
        case '\r' -> sb.append("\\r");
        case '\t' -> sb.append("\\t");
        default -> {
          boolean loneSurrogate =
              Character.isSurrogate(c)
                  && !(Character.isHighSurrogate(c)
                          && i + 1 < s.length()
                          && Character.isLowSurrogate(s.charAt(i + 1))
                      || Character.isLowSurrogate(c)
                          && i > 0
                          && Character.isHighSurrogate(s.charAt(i - 1)));
          if (c < 0x20 || loneSurrogate) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    sb.append('"');
  }
}
