package io.sealsync.security;

import io.sealsync.platform.Sha256;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.HotStatement;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Issues, finds and revokes live API keys ({@code sov_live_<base62>}). */
@ApplicationScoped
public class ApiKeys {
  public static final String LIVE_PREFIX = "sov_live_";
  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  // 40 base62 characters: about 238 bits of entropy.
  private static final int RANDOM_CHARS = 40;
  private static final SecureRandom RANDOM = new SecureRandom();

  private static final long USE_RECORD_INTERVAL_NANOS =
      java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
  private static final int MAX_RECORDED_KEYS = 100_000;

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  /** When this node last recorded each key's use ({@link System#nanoTime}). */
  private final java.util.Map<Long, Long> recordedUse =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A newly issued key: the raw token exists only in this value and is shown once. */
  public record IssuedKey(ApiKey key, String token) {}

  static String newToken() {
    StringBuilder sb = new StringBuilder(LIVE_PREFIX);
    for (int i = 0; i < RANDOM_CHARS; i++) {
      sb.append(BASE62.charAt(RANDOM.nextInt(BASE62.length())));
    }
    return sb.toString();
  }

  @Transactional
  public IssuedKey issue(
      long accountId, String name, Set<String> scopes, OffsetDateTime expiresAt) {
    String token = newToken();
    ApiKey key =
        new ApiKey(
            accountId,
            Sha256.hex(token),
            token.substring(0, LIVE_PREFIX.length() + 4),
            name,
            scopes,
            Timestamps.now(),
            expiresAt);
    em.persist(key);
    em.flush();
    return new IssuedKey(key, token);
  }

  @HotStatement static final String BY_HASH = "SELECT k FROM ApiKey k WHERE k.keyHash = :h";

  @Transactional(Transactional.TxType.SUPPORTS)
  public Optional<ApiKey> findByHash(String keyHash) {
    return em.createQuery(BY_HASH, ApiKey.class).setParameter("h", keyHash).getResultList().stream()
        .findFirst();
  }

  @HotStatement
  static final String OF_ACCOUNT = "SELECT k FROM ApiKey k WHERE k.accountId = :a ORDER BY k.id";

  @Transactional(Transactional.TxType.SUPPORTS)
  public List<ApiKey> ofAccount(long accountId) {
    return em.createQuery(OF_ACCOUNT, ApiKey.class).setParameter("a", accountId).getResultList();
  }

  @Transactional
  public Optional<ApiKey> revoke(long accountId, long keyId) {
    ApiKey key = em.find(ApiKey.class, keyId);
    if (key == null || key.getAccountId() != accountId) {
      return Optional.empty();
    }
    key.revoke(Timestamps.now());
    return Optional.of(key);
  }

  /**
   * Whether this request is the one to record {@code keyId}'s use: one request per key, node and
   * minute. Every request of a key, reads included, would otherwise write the key's row when the
   * minute turns, all at once, queueing behind each other's row lock and each holding a second
   * connection meanwhile: under many concurrent writers of one key, a head then waited for a
   * minute.
   */
  public boolean claimUseRecord(long keyId) {
    long now = System.nanoTime();
    boolean[] claimed = {false};
    recordedUse.compute(
        keyId,
        (id, last) -> {
          if (last != null && now - last < USE_RECORD_INTERVAL_NANOS) {
            return last;
          }
          claimed[0] = true;
          return now;
        });
    if (recordedUse.size() > MAX_RECORDED_KEYS) {
      recordedUse.clear();
    }
    return claimed[0];
  }

  @HotStatement
  static final String TOUCH =
      "UPDATE api_key SET last_used_at = now() WHERE id = (SELECT id FROM api_key"
          + " WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < now() - interval"
          + " '1 minute') FOR UPDATE SKIP LOCKED)";

  /**
   * Records use at most once a minute per key, so busy keys do not write on every request; never
   * waits for the row (another node recording the same key's use is enough).
   */
  @Transactional(Transactional.TxType.REQUIRES_NEW)
  public void touch(long keyId) {
    em.createNativeQuery(TOUCH).setParameter(1, keyId).executeUpdate();
  }
}
