package io.sealsync.agentstate;

import io.sealsync.testsupport.Http;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

/**
 * Builds replicate requests the way the shipping worker does: hashes and chain computed client-side
 * (the integration tests and the benchmark).
 */
public final class ReplicationClient {
  public static final String ENDPOINT = "/functions/v1/v2-agent-state";
  public static final String ZERO_ROOT = "0".repeat(64);

  final Http http;
  final String token;
  public long next;
  public String root = ZERO_ROOT;

  public ReplicationClient(Http http, String token) {
    this.http = http;
    this.token = token;
  }

  public static String sha256Hex(byte[]... parts) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      for (byte[] p : parts) {
        d.update(p);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  public static String chain(String previousRoot, String blockHash) {
    return sha256Hex(HexFormat.of().parseHex(previousRoot), HexFormat.of().parseHex(blockHash));
  }

  static String chunkJson(long seq, String hash, byte[] blob) {
    return chunkJson(seq, hash, Base64.getEncoder().encodeToString(blob));
  }

  static String chunkJson(long seq, String hash, String ciphertextB64) {
    return "{\"sequence_number\":"
        + seq
        + ",\"block_hash\":\""
        + hash
        + "\",\"ciphertext_b64\":\""
        + ciphertextB64
        + "\"}";
  }

  static String body(List<String> chunks, String root) {
    return "{\"chunks\":[" + String.join(",", chunks) + "],\"merkle_root\":\"" + root + "\"}";
  }

  /**
   * A request appending {@code blobs} at the client's cursor; the cursor advances only on commit().
   */
  public Pending prepare(List<byte[]> blobs) {
    List<String> chunks = new ArrayList<>();
    String r = root;
    long seq = next;
    for (byte[] b : blobs) {
      String h = sha256Hex(b);
      r = chain(r, h);
      chunks.add(chunkJson(seq++, h, b));
    }
    return new Pending(body(chunks, r), seq, r);
  }

  public record Pending(String body, long next, String root) {}

  public Http.Reply send(Pending p) {
    return http.post(ENDPOINT + "/replicate", token, p.body());
  }

  /** Sends and, on 200, advances the cursor. */
  public Http.Reply append(List<byte[]> blobs) {
    return sendAndAdvance(prepare(blobs));
  }

  /**
   * Appends one block already hashed and encoded: the benchmark's load generator, which shares the
   * machine's cores with the server and so does no per-request work it can do once.
   */
  public Http.Reply appendEncoded(String blockHash, String ciphertextB64) {
    String r = chain(root, blockHash);
    return sendAndAdvance(
        new Pending(body(List.of(chunkJson(next, blockHash, ciphertextB64)), r), next + 1, r));
  }

  private Http.Reply sendAndAdvance(Pending p) {
    Http.Reply r = send(p);
    if (r.status() == 200) {
      next = p.next();
      root = p.root();
    }
    return r;
  }

  /**
   * The test servers' rate limit (50 a second after a burst of 100) is soon spent by a history
   * written one block per request; like the worker, wait out a 429 and ask again.
   */
  public static Http.Reply unlimited(Supplier<Http.Reply> call) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      Http.Reply r = call.get();
      if (r.status() != 429 || attempt >= 20) {
        return r;
      }
      Thread.sleep(1000);
    }
  }

  /** A reproducible block of random bytes, as ciphertext looks to the server. */
  public static byte[] blob(int size, long seed) {
    byte[] b = new byte[size];
    new java.util.Random(seed).nextBytes(b);
    return b;
  }

  public Http.Reply head() {
    return http.get(ENDPOINT + "/head", token);
  }

  public Http.Reply replay(long since) {
    return http.get(ENDPOINT + "/replay?since=" + since, token);
  }
}
