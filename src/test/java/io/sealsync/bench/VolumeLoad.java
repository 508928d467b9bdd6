package io.sealsync.bench;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The volume profile's load (docs/benchmark.md, "The volume profile"): writes a deployment after a
 * year straight into the benchmark's database through fast paths, exactly the rows the server
 * itself would have written. Row sync, tenants, keys, ledger, audit and snapshots are set-based SQL
 * ({@code volume.sql}); the replication log's blocks chain their hashes, so they are made and
 * hashed here and streamed with one binary {@code COPY}.
 */
final class VolumeLoad {
  /**
   * A stated size.
   *
   * @param users row-sync users, of which {@code heavyUsers} hold {@code heavyRows} rows each and
   *     the others {@code userRows}; every bundle inserts {@code bundleRows} rows, all retained
   * @param accounts account tenants (the first one is the heavy tenant: its log holds {@code
   *     heavyBlocks}, and half of the ledger is its)
   * @param projects project tenants
   * @param heavyBlocks the heavy tenant's blocks; every other tenant holds {@code tenantBlocks}
   */
  record Size(
      String name,
      int users,
      int heavyUsers,
      int heavyRows,
      int userRows,
      int bundleRows,
      int accounts,
      int projects,
      int ledger,
      int audit,
      int snapshotsPerTenant,
      int heavyBlocks,
      int tenantBlocks) {

    /**
     * Issue 23's size: 10 M rows over 100,000 users, 1 M bundles, 1 M blocks over 10,000 tenants.
     */
    static final Size DEFAULT =
        new Size(
            "default", 100_000, 3, 1_000_000, 70, 10, 2_000, 8_000, 100_000, 100_000, 6, 200_000,
            80);

    /** About a twentieth of the default: the same shapes, loaded in a few minutes. */
    static final Size QUICK =
        new Size("quick", 5_000, 3, 50_000, 70, 10, 100, 400, 5_000, 5_000, 6, 10_000, 80);

    static Size of(String name) {
      return switch (name.trim().toLowerCase(Locale.ROOT)) {
        case "default" -> DEFAULT;
        case "quick" -> QUICK;
        default ->
            throw new IllegalArgumentException("bench.volume: " + name + "; known: quick, default");
      };
    }

    long businessRows() {
      return (long) heavyUsers * heavyRows + (long) (users - heavyUsers) * userRows;
    }

    long bundles() {
      return businessRows() / bundleRows;
    }

    int tenants() {
      return accounts + projects;
    }

    long blocks() {
      return heavyBlocks + (long) (tenants() - 1) * tenantBlocks;
    }

    /** Bundles retained per user, which the server's retention must keep. */
    int heavyBundles() {
      return heavyRows / bundleRows;
    }
  }

  /**
   * The first account tenant: the long replication log and half of the ledger; its first live key
   * is {@code sov_live_volume1}.
   */
  static final long HEAVY_TENANT = 10_000_001L;

  static final String HEAVY_TENANT_KEY = "sov_live_volume1";

  /** The first heavy row-sync user. */
  static final String HEAVY_USER = "volume-user-1";

  /** The second heavy user, who pushes on at the retention window in the loaded pass. */
  static final String RETENTION_USER = "volume-user-2";

  /**
   * What the load wrote that a read through the protocols can be checked against: the heavy
   * tenant's chain root after sequence {@code middle} and at its head.
   */
  record Loaded(long seconds, long heavyHead, String headRoot, long middle, String middleRoot) {}

  private VolumeLoad() {}

  static Loaded load(DataSource db, Size size) throws SQLException, IOException {
    long t0 = System.nanoTime();
    Map<String, String> values = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      values.put("accounts", Integer.toString(size.accounts()));
      values.put("projects", Integer.toString(size.projects()));
      values.put("ledger", Integer.toString(size.ledger()));
      values.put("audit", Integer.toString(size.audit()));
      values.put("snapshotsPerTenant", Integer.toString(size.snapshotsPerTenant()));
      values.put("users", Integer.toString(size.users()));
      values.put("heavyUsers", Integer.toString(size.heavyUsers()));
      values.put("heavyRows", Integer.toString(size.heavyRows()));
      values.put("userRows", Integer.toString(size.userRows()));
      values.put("bundleRows", Integer.toString(size.bundleRows()));
      values.put("usersTableId", one(s, USERS_TABLE_ID));
      values.put("createdAt", createdAtText(s));
      Loaded loaded = null;
      for (Map.Entry<String, String> step : steps(values).entrySet()) {
        long s0 = System.nanoTime();
        if (step.getKey().equals("replication log")) {
          loaded = blocks(c, size);
        } else {
          s.execute(step.getValue());
        }
        System.out.printf(
            Locale.ROOT,
            "[bench] volume %s: %s, %.0f s%n",
            size.name(),
            step.getKey(),
            (System.nanoTime() - s0) / 1e9);
      }
      if (loaded == null) {
        throw new IllegalStateException("volume.sql has no step 'replication log'");
      }
      return new Loaded(
          Math.round((System.nanoTime() - t0) / 1e9),
          loaded.heavyHead(),
          loaded.headRoot(),
          loaded.middle(),
          loaded.middleRoot());
    }
  }

  private static final String USERS_TABLE_ID =
      "SELECT table_id FROM sync.table_catalog WHERE schema_name = 'demo' AND table_name = 'users'";

  /**
   * How {@code created_at} of demo.users reads in a payload: as the server captured it in a bundle
   * of the run's pushes (its session's time zone), else as this session's to_jsonb writes it.
   */
  private static String createdAtText(Statement s) throws SQLException {
    String pushed =
        oneOrNull(
            s,
            "SELECT payload_wire->>'created_at' FROM sync.bundle_rows b"
                + " JOIN sync.table_catalog t USING (table_id)"
                + " WHERE t.schema_name = 'demo' AND t.table_name = 'users' AND op_code <> 3"
                + " LIMIT 1");
    return pushed != null
        ? pushed
        : one(s, "SELECT to_jsonb(TIMESTAMPTZ '2026-01-01T00:00:00Z') #>> '{}'");
  }

  /** volume.sql's steps by name, the sizes filled in. */
  static Map<String, String> steps(Map<String, String> values) throws IOException {
    String sql;
    try (InputStream in = VolumeLoad.class.getResourceAsStream("volume.sql")) {
      sql = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    Matcher m = Pattern.compile("\\$\\{(\\w+)}").matcher(sql);
    StringBuilder filled = new StringBuilder();
    while (m.find()) {
      String v = values.get(m.group(1));
      if (v == null) {
        throw new IllegalStateException("volume.sql: no value for ${" + m.group(1) + "}");
      }
      m.appendReplacement(filled, Matcher.quoteReplacement(v));
    }
    m.appendTail(filled);
    Map<String, String> steps = new LinkedHashMap<>();
    String[] parts = filled.toString().split("(?m)^-- step: ");
    for (int i = 1; i < parts.length; i++) {
      int eol = parts[i].indexOf('\n');
      steps.put(parts[i].substring(0, eol).trim(), parts[i].substring(eol + 1));
    }
    return steps;
  }

  private static final long POSTGRES_EPOCH_MICROS =
      Instant.parse("2000-01-01T00:00:00Z").toEpochMilli() * 1000;

  /**
   * Every tenant's replication log: blocks of 1 to 4 KiB of random bytes (ciphertext does not
   * compress), each with its SHA-256 and the chained merkle_root (agent-state.md §8.3), streamed in
   * PostgreSQL's binary COPY format.
   */
  private static Loaded blocks(Connection c, Size size) throws SQLException, IOException {
    CopyIn copy =
        c.unwrap(PGConnection.class)
            .getCopyAPI()
            .copyIn(
                "COPY replication_log (tenant_id, sequence_number, block_hash, merkle_root,"
                    + " ciphertext, byte_size, created_at) FROM STDIN (FORMAT binary)");
    ByteArrayOutputStream buffer = new ByteArrayOutputStream(1 << 21);
    DataOutputStream out = new DataOutputStream(buffer);
    long heavyHead = size.heavyBlocks() - 1;
    long middle = heavyHead / 2;
    String headRoot = null;
    String middleRoot = null;
    try {
      out.writeBytes("PGCOPY\n");
      out.write(new byte[] {(byte) 0xff, '\r', '\n', 0});
      out.writeInt(0); // flags
      out.writeInt(0); // header extension
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long now = System.currentTimeMillis() * 1000 - POSTGRES_EPOCH_MICROS;
      HexFormat hex = HexFormat.of();
      byte[] block = new byte[4096];
      for (int i = 0; i < size.tenants(); i++) {
        long tenant = i < size.accounts() ? 10_000_001L + i : 20_000_001L + (i - size.accounts());
        int blocks = tenant == HEAVY_TENANT ? size.heavyBlocks() : size.tenantBlocks();
        SplittableRandom random = new SplittableRandom(tenant);
        byte[] root = new byte[32];
        for (int seq = 0; seq < blocks; seq++) {
          int length = 1024 + random.nextInt(3073);
          random.nextBytes(block);
          sha.update(block, 0, length);
          byte[] hash = sha.digest();
          sha.update(root);
          sha.update(hash);
          root = sha.digest();
          String rootHex = hex.formatHex(root);
          out.writeShort(7);
          out.writeInt(8);
          out.writeLong(tenant);
          out.writeInt(8);
          out.writeLong(seq);
          out.writeInt(64);
          out.writeBytes(hex.formatHex(hash));
          out.writeInt(64);
          out.writeBytes(rootHex);
          out.writeInt(length);
          out.write(block, 0, length);
          out.writeInt(4);
          out.writeInt(length);
          out.writeInt(8);
          out.writeLong(now - (long) (blocks - seq) * 1_000_000L);
          if (tenant == HEAVY_TENANT && seq == middle) {
            middleRoot = rootHex;
          }
          if (buffer.size() > 1 << 20) {
            copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
            buffer.reset();
          }
        }
        if (tenant == HEAVY_TENANT) {
          headRoot = hex.formatHex(root);
        }
      }
      out.writeShort(-1);
      copy.writeToCopy(buffer.toByteArray(), 0, buffer.size());
      copy.endCopy();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    } finally {
      if (copy.isActive()) {
        copy.cancelCopy();
      }
    }
    return new Loaded(0, heavyHead, headRoot, middle, middleRoot);
  }

  private static String one(Statement s, String sql) throws SQLException {
    String v = oneOrNull(s, sql);
    if (v == null) {
      throw new IllegalStateException("no value: " + sql);
    }
    return v;
  }

  private static String oneOrNull(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
