package io.sealsync.admin.agentstate;

import io.sealsync.agentstate.BlockHash;
import io.sealsync.agentstate.HashChain;
import io.sealsync.platform.Hex;
import io.sealsync.platform.Sha256;
import io.sealsync.platform.db.HotStatement;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Recomputes a tenant's stored replication log: every block's {@code block_hash} (SHA-256 of the
 * stored ciphertext) and the {@code merkle_root} hash chain from sequence 0, and finds gaps. Rows
 * are read in keyset batches, each a short query on a borrowed connection (as replay does), so a
 * long log costs a few blocks of memory and pins no connection while the client reads.
 */
@ApplicationScoped
public class LogVerifier {
  /** Rows per query: at most 16 blocks of 256 KiB in memory. */
  static final int BATCH_ROWS = 16;

  /** A progress line after this many blocks. */
  static final int PROGRESS_EVERY = 256;

  @HotStatement
  static final String BATCH_SQL =
      "SELECT sequence_number, block_hash, merkle_root, byte_size, ciphertext"
          + " FROM replication_log WHERE tenant_id = ? AND sequence_number > ?"
          + " ORDER BY sequence_number LIMIT ?";

  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  record Row(long seq, String blockHash, String merkleRoot, int byteSize, byte[] ciphertext) {}

  /**
   * Writes one JSON object per line: {@code progress} lines, then one {@code result} line: {@code
   * intact}, or {@code broken} with the first broken {@code sequence} and the {@code reason}.
   */
  public void verify(long tenantId, OutputStream out) throws IOException {
    long expected = 0;
    long bytes = 0;
    BlockHash root = HashChain.GENESIS;
    try {
      while (true) {
        List<Row> batch = readBatch(tenantId, expected - 1);
        for (Row row : batch) {
          String broken = check(row, expected, root);
          if (broken != null) {
            line(
                out,
                Json.createObjectBuilder()
                    .add("type", "result")
                    .add("result", "broken")
                    .add("sequence", row.seq() != expected ? expected : row.seq())
                    .add("reason", broken)
                    .add("blocks_checked", expected)
                    .build());
            return;
          }
          root = HashChain.next(root, new BlockHash(row.blockHash()));
          bytes += row.ciphertext().length;
          expected++;
          if (expected % PROGRESS_EVERY == 0) {
            line(
                out,
                Json.createObjectBuilder()
                    .add("type", "progress")
                    .add("blocks_checked", expected)
                    .add("bytes_checked", bytes)
                    .build());
          }
        }
        if (batch.size() < BATCH_ROWS) {
          break;
        }
      }
    } catch (SQLException e) {
      line(
          out,
          Json.createObjectBuilder()
              .add("type", "error")
              .add("message", "reading the log failed: " + e.getMessage())
              .build());
      return;
    }
    line(
        out,
        Json.createObjectBuilder()
            .add("type", "result")
            .add("result", "intact")
            .add("blocks_checked", expected)
            .add("bytes_checked", bytes)
            .add("root", root.hex())
            .build());
  }

  /** Why this row breaks the log, or null. */
  static String check(Row row, long expected, BlockHash previousRoot) {
    if (row.seq() != expected) {
      return "sequence " + expected + " is missing (the next stored one is " + row.seq() + ")";
    }
    if (!Hex.isLowerHex64(row.blockHash())) {
      return "the stored block_hash is not a lowercase hex SHA-256";
    }
    if (!Sha256.hex(row.ciphertext()).equals(row.blockHash())) {
      return "block_hash does not match the stored block (SHA-256 of its bytes)";
    }
    if (row.byteSize() != row.ciphertext().length) {
      return "byte_size " + row.byteSize() + " differs from the block's " + row.ciphertext().length;
    }
    if (!Hex.isLowerHex64(row.merkleRoot())) {
      return "the stored merkle_root is not a lowercase hex SHA-256";
    }
    if (!HashChain.next(previousRoot, new BlockHash(row.blockHash()))
        .hex()
        .equals(row.merkleRoot())) {
      return "merkle_root does not continue the hash chain";
    }
    return null;
  }

  private List<Row> readBatch(long tenantId, long after) throws SQLException {
    List<Row> rows = new ArrayList<>(BATCH_ROWS);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(BATCH_SQL)) {
      ps.setLong(1, tenantId);
      ps.setLong(2, after);
      ps.setInt(3, BATCH_ROWS);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getLong(1),
                  rs.getString(2).trim(),
                  rs.getString(3).trim(),
                  rs.getInt(4),
                  rs.getBytes(5)));
        }
      }
    }
    return rows;
  }

  private static void line(OutputStream out, JsonObject o) throws IOException {
    out.write((o.toString() + "\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
  }
}
