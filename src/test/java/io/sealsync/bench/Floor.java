package io.sealsync.bench;

import io.sealsync.agentstate.ReplicationClient;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The floor of each workload: the same rows or blocks moved by plain JDBC, without the server, into
 * trigger-free copies of the tables in the schema {@code bench_floor} of the same database. What
 * Sealsync achieves is read against it: a ratio of 1 would mean the server adds nothing to what
 * PostgreSQL itself costs.
 */
final class Floor {
  private final DataSource db;

  Floor(DataSource db) {
    this.db = db;
  }

  /**
   * The copies: the columns, defaults, checks and indexes of {@code demo.users} and of the server's
   * {@code replication_log} (created by its Flyway migrations, so call this once the server is up),
   * but none of the row-sync capture triggers and no foreign keys.
   */
  void createTables() throws SQLException {
    try (Connection c = db.getConnection();
        Statement s = c.createStatement()) {
      s.execute("DROP SCHEMA IF EXISTS bench_floor CASCADE");
      s.execute("CREATE SCHEMA bench_floor");
      s.execute("CREATE TABLE bench_floor.users (LIKE demo.users INCLUDING ALL)");
      s.execute(
          "CREATE TABLE bench_floor.replication_log (LIKE public.replication_log INCLUDING ALL)");
    }
  }

  /** Push: each client inserts its bundles into its own scope, one transaction per bundle. */
  Load.Clients push(List<String> users, int rowsPerBundle) {
    return client ->
        new Load.Client() {
          final Connection c = transactional();
          final PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO bench_floor.users (_sync_scope_id, id, email, age) VALUES (?, ?, ?, ?)");

          @Override
          public long op(int index) throws SQLException {
            insertBundle(insert, users.get(client), index + 1, rowsPerBundle);
            c.commit();
            return rowsPerBundle;
          }

          @Override
          public void close() throws SQLException {
            c.close();
          }
        };
  }

  /** Seeds {@code bundles} bundles of {@code user} at once (not measured). */
  void seed(String user, int bundles, int rowsPerBundle) throws SQLException {
    try (Connection c = transactional();
        PreparedStatement insert =
            c.prepareStatement(
                "INSERT INTO bench_floor.users (_sync_scope_id, id, email, age) VALUES (?, ?, ?, ?)")) {
      for (int b = 1; b <= bundles; b++) {
        insertBundle(insert, user, b, rowsPerBundle);
        c.commit();
      }
    }
  }

  private static void insertBundle(PreparedStatement insert, String user, int bundle, int rows)
      throws SQLException {
    for (DemoUsers.UserRow row : DemoUsers.bundle(user, bundle, rows)) {
      insert.setString(1, user);
      insert.setObject(2, row.id());
      insert.setString(3, row.email());
      insert.setInt(4, row.age());
      insert.addBatch();
    }
    insert.executeBatch();
  }

  /** Pull: each client reads all rows of its user, every column, as text. */
  Load.Clients pull(List<String> users) {
    return client ->
        new Load.Client() {
          final Connection c = db.getConnection();
          final PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, team_id, email, age, active, created_at FROM bench_floor.users"
                      + " WHERE _sync_scope_id = ?");

          @Override
          public long op(int index) throws SQLException {
            select.setString(1, users.get(client));
            return readAll(select);
          }

          @Override
          public void close() throws SQLException {
            c.close();
          }
        };
  }

  /** Snapshot create: one ordered read of all rows of {@code user}. */
  Load.Clients selectAll(String user) {
    return client ->
        new Load.Client() {
          final Connection c = db.getConnection();
          final PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, team_id, email, age, active, created_at FROM bench_floor.users"
                      + " WHERE _sync_scope_id = ? ORDER BY id");

          @Override
          public long op(int index) throws SQLException {
            select.setString(1, user);
            return readAll(select);
          }

          @Override
          public void close() throws SQLException {
            c.close();
          }
        };
  }

  /**
   * Snapshot read: the rows of {@code user} in key order, a page of {@code pageSize} per operation
   * (keyset paging); after the last page the next operation starts over.
   */
  Load.Clients selectPages(String user, int pageSize) {
    return client ->
        new Load.Client() {
          final Connection c = db.getConnection();
          final PreparedStatement select =
              c.prepareStatement(
                  "SELECT id, team_id, email, age, active, created_at FROM bench_floor.users"
                      + " WHERE _sync_scope_id = ? AND id > ? ORDER BY id LIMIT ?");
          UUID after = new UUID(Long.MIN_VALUE, Long.MIN_VALUE);

          @Override
          public long op(int index) throws SQLException {
            select.setString(1, user);
            select.setObject(2, after);
            select.setInt(3, pageSize);
            long n = 0;
            try (ResultSet rs = select.executeQuery()) {
              while (rs.next()) {
                after = rs.getObject(1, UUID.class);
                readRow(rs);
                n++;
              }
            }
            if (n < pageSize) {
              after = new UUID(Long.MIN_VALUE, Long.MIN_VALUE);
            }
            return n;
          }

          @Override
          public void close() throws SQLException {
            c.close();
          }
        };
  }

  private static long readAll(PreparedStatement select) throws SQLException {
    long n = 0;
    try (ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        readRow(rs);
        n++;
      }
    }
    return n;
  }

  private static void readRow(ResultSet rs) throws SQLException {
    for (int i = 1; i <= 6; i++) {
      rs.getString(i);
    }
  }

  /**
   * Replicate: each client appends blocks to its own tenant's log, one transaction per block that
   * reads the head (its sequence number and root), inserts the block with the next root, and
   * commits: the essential work of {@code POST /replicate} (agent-state.md §5.3).
   */
  Load.Clients replicate(Blocks blocks) {
    return client ->
        new Load.Client() {
          final long tenant = client + 1;
          final Connection c = transactional();
          final PreparedStatement head =
              c.prepareStatement(
                  "SELECT sequence_number, merkle_root FROM bench_floor.replication_log"
                      + " WHERE tenant_id = ? ORDER BY sequence_number DESC LIMIT 1");
          final PreparedStatement insert =
              c.prepareStatement(
                  "INSERT INTO bench_floor.replication_log (tenant_id, sequence_number,"
                      + " block_hash, merkle_root, ciphertext, byte_size) VALUES (?, ?, ?, ?, ?, ?)");

          @Override
          public long op(int index) throws SQLException {
            long next = 0;
            String root = ReplicationClient.ZERO_ROOT;
            head.setLong(1, tenant);
            try (ResultSet rs = head.executeQuery()) {
              if (rs.next()) {
                next = rs.getLong(1) + 1;
                root = rs.getString(2);
              }
            }
            byte[] block = blocks.block(index);
            String hash = blocks.hash(index);
            insert.setLong(1, tenant);
            insert.setLong(2, next);
            insert.setString(3, hash);
            insert.setString(4, ReplicationClient.chain(root, hash));
            insert.setBytes(5, block);
            insert.setInt(6, block.length);
            insert.executeUpdate();
            c.commit();
            return 1;
          }

          @Override
          public void close() throws SQLException {
            c.close();
          }
        };
  }

  private Connection transactional() throws SQLException {
    Connection c = db.getConnection();
    c.setAutoCommit(false);
    return c;
  }
}
