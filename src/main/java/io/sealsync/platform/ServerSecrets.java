package io.sealsync.platform;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Secrets the server generates for itself on first use and keeps in the database, so that every
 * node behind a load balancer shares them and they survive restarts.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.REQUIRES_NEW)
public class ServerSecrets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  @PersistenceContext(unitName = "sealsync")
  EntityManager em;

  /** 32 random bytes under {@code name}. */
  public byte[] randomKey(String name) {
    return get(
        name,
        () -> {
          byte[] key = new byte[32];
          RANDOM.nextBytes(key);
          return key;
        });
  }

  /**
   * The secret stored under {@code name}; the first caller on any node stores {@code generator}'s
   * value.
   */
  public byte[] get(String name, Supplier<byte[]> generator) {
    byte[] cached = cache.get(name);
    if (cached != null) {
      return cached.clone();
    }
    byte[] stored = loadOrStore(name, generator.get());
    cache.put(name, stored);
    return stored.clone();
  }

  private byte[] loadOrStore(String name, byte[] candidate) {
    em.createNativeQuery(
            "INSERT INTO server_secret (name, secret) VALUES (?1, ?2) ON CONFLICT (name) DO NOTHING")
        .setParameter(1, name)
        .setParameter(2, candidate)
        .executeUpdate();
    return (byte[])
        em.createNativeQuery("SELECT secret FROM server_secret WHERE name = ?1")
            .setParameter(1, name)
            .getSingleResult();
  }
}
