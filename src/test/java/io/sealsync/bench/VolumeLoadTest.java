package io.sealsync.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.sealsync.agentstate.ReplicationClient;
import io.sealsync.rowsync.codec.CanonicalJson;
import io.sealsync.rowsync.schema.SyncSchemaBootstrap;
import io.sealsync.rowsync.schema.TableSpec;
import io.sealsync.testsupport.DemoSchema;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;

/**
 * The volume profile's load at a tiny size, in a PostgreSQL of its own (a free port): what it
 * writes is what the server would have written. Bundle hashes and payloads are recomputed with the
 * server's canonical JSON, the replication log's hashes and chain from its bytes, and the kept
 * totals against counts.
 */
class VolumeLoadTest {
  static final VolumeLoad.Size TINY =
      new VolumeLoad.Size("tiny", 12, 2, 200, 30, 10, 4, 6, 40, 30, 3, 150, 7);

  @Test
  void theLoadIsWhatTheServerWouldHaveWritten() throws Exception {
    try (EmbeddedPostgres pg = EmbeddedPostgres.builder().start()) {
      DataSource db = pg.getPostgresDatabase();
      Flyway.configure(getClass().getClassLoader())
          .dataSource(db)
          .locations("classpath:db/migration")
          .load()
          .migrate();
      DemoSchema.create(db);
      try (Connection c = db.getConnection()) {
        new SyncSchemaBootstrap(TableSpec.parseList(DemoSchema.REGISTERED_TABLES)).run(c);
      }
      VolumeLoad.Loaded loaded = VolumeLoad.load(db, TINY);

      try (Connection c = db.getConnection();
          Statement s = c.createStatement()) {
        assertEquals(TINY.businessRows(), count(s, "SELECT count(*) FROM demo.users"));
        assertEquals(TINY.businessRows(), count(s, "SELECT count(*) FROM sync.row_state"));
        assertEquals(TINY.businessRows(), count(s, "SELECT count(*) FROM sync.bundle_rows"));
        assertEquals(TINY.bundles(), count(s, "SELECT count(*) FROM sync.bundle_log"));
        assertEquals(TINY.blocks(), count(s, "SELECT count(*) FROM replication_log"));

        // Every bundle's hash and byte count, from its rows as a pull returns them (§11.2).
        List<Object[]> bundles = new ArrayList<>();
        try (ResultSet rs =
            s.executeQuery(
                "SELECT b.bundle_seq, encode(b.bundle_hash, 'hex'), b.byte_count,"
                    + " array_agg(r.key_bytes ORDER BY r.row_ordinal),"
                    + " array_agg(r.payload_wire::text ORDER BY r.row_ordinal)"
                    + " FROM sync.bundle_log b JOIN sync.bundle_rows r USING (user_pk, bundle_seq)"
                    + " GROUP BY b.user_pk, b.bundle_seq, b.bundle_hash, b.byte_count")) {
          while (rs.next()) {
            bundles.add(
                new Object[] {
                  rs.getLong(1),
                  rs.getString(2),
                  rs.getLong(3),
                  rs.getArray(4).getArray(),
                  rs.getArray(5).getArray()
                });
          }
        }
        assertEquals(TINY.bundles(), bundles.size());
        for (Object[] b : bundles) {
          long seq = (Long) b[0];
          byte[][] keys = (byte[][]) b[3];
          String[] payloads = (String[]) b[4];
          List<CanonicalJson.LogicalRow> rows = new ArrayList<>();
          for (int i = 0; i < keys.length; i++) {
            ByteBuffer k = ByteBuffer.wrap(keys[i]);
            String key = new UUID(k.getLong(), k.getLong()).toString();
            rows.add(
                new CanonicalJson.LogicalRow(
                    "demo", "users", "id", key, "INSERT", seq, payloads[i]));
          }
          assertEquals(CanonicalJson.bundleHash(rows), b[1], "bundle " + seq);
          assertEquals(
              CanonicalJson.logicalRows(rows)
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8)
                  .length,
              (Long) b[2]);
        }

        // Every payload is the canonical form of its business row as the capture reads it.
        try (ResultSet rs =
            s.executeQuery(
                "SELECT (to_jsonb(u) - '_sync_scope_id')::text, r.payload_wire::text"
                    + " FROM sync.bundle_rows r JOIN sync.user_state s USING (user_pk)"
                    + " JOIN demo.users u ON u._sync_scope_id = s.user_id"
                    + " AND uuid_send(u.id) = r.key_bytes")) {
          int n = 0;
          while (rs.next()) {
            assertEquals(CanonicalJson.canonicalize(rs.getString(1)), rs.getString(2));
            n++;
          }
          assertEquals(TINY.businessRows(), n);
        }

        // The heavy tenant's log: hashes of the bytes, the chain from the genesis root.
        String root = ReplicationClient.ZERO_ROOT;
        long seq = -1;
        try (ResultSet rs =
            s.executeQuery(
                "SELECT sequence_number, block_hash, merkle_root, ciphertext, byte_size"
                    + " FROM replication_log WHERE tenant_id = "
                    + VolumeLoad.HEAVY_TENANT
                    + " ORDER BY sequence_number")) {
          while (rs.next()) {
            assertEquals(++seq, rs.getLong(1));
            byte[] block = rs.getBytes(4);
            assertEquals(block.length, rs.getInt(5));
            assertTrue(block.length >= 1024 && block.length <= 4096);
            String hash = ReplicationClient.sha256Hex(block);
            assertEquals(hash, rs.getString(2));
            root = ReplicationClient.chain(root, hash);
            assertEquals(root, rs.getString(3));
            if (seq == loaded.middle()) {
              assertEquals(root, loaded.middleRoot());
            }
          }
        }
        assertEquals(loaded.heavyHead(), seq);
        assertEquals(loaded.headRoot(), root);

        // The kept totals count what was loaded.
        assertEquals(TINY.bundles(), total(s, "sync.bundle_log.rows"));
        assertEquals(TINY.users(), total(s, "sync.user_state.rows"));
        assertEquals(TINY.blocks(), total(s, "replication_log.rows"));
        assertEquals(
            count(s, "SELECT sum(byte_size) FROM replication_log"),
            total(s, "replication_log.bytes"));
        assertEquals(TINY.accounts(), total(s, "tenant.account.rows"));
        assertEquals(TINY.projects(), total(s, "tenant.project.rows"));
      }
    }
  }

  private static long count(Statement s, String sql) throws Exception {
    try (ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long total(Statement s, String name) throws Exception {
    return count(s, "SELECT coalesce(sum(value), 0) FROM usage_total WHERE name = '" + name + "'");
  }
}
