package io.sealsync.agentstate;

import io.sealsync.platform.JsonFactory;
import io.sealsync.platform.Timestamps;
import io.sealsync.platform.db.DatabaseFailures;
import io.sealsync.platform.db.HotStatement;
import io.sealsync.platform.observability.Metrics;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * {@code GET /replay} pages (agent-state.md §7, D9), streamed: rows are read from PostgreSQL in
 * small batches and written to the response as they come, each block base64-encoded straight into
 * the output. A full page (1000 blocks of 256 KiB, about 350 MB of JSON) costs the server a few
 * blocks of memory, not the page.
 */
@ApplicationScoped
public class ReplayPages {
  private static final Logger LOG = Logger.getLogger(ReplayPages.class.getName());

  /**
   * Rows per query. Keyset batches, each a short query on a connection borrowed for it, rather than
   * one cursor: a slow client then never pins a pooled connection or holds a transaction (and
   * vacuum) back while it reads, and 16 blocks of at most 256 KiB bound a request's memory at a few
   * MiB. The log is append-only and a tenant's appends commit in sequence order, so batches read at
   * different moments still make one contiguous page.
   */
  static final int BATCH_ROWS = 16;

  @HotStatement
  static final String BATCH_SQL =
      "SELECT sequence_number, block_hash, merkle_root, created_at, ciphertext"
          + " FROM replication_log WHERE tenant_id = ? AND sequence_number > ?"
          + " ORDER BY sequence_number LIMIT ?";

  // In key order, so that the plan probes the primary key: unordered, the planner may read the
  // table from its start, counting on an early match of a tenant that owns much of it.
  @HotStatement
  static final String MORE_SQL =
      "SELECT 1 FROM replication_log WHERE tenant_id = ? AND sequence_number > ?"
          + " ORDER BY sequence_number LIMIT 1";

  @Resource(lookup = "java:comp/env/jdbc/sealsync")
  DataSource dataSource;

  @Inject Metrics metrics;

  private record Row(
      long sequenceNumber,
      String blockHash,
      String merkleRoot,
      OffsetDateTime createdAt,
      byte[] ciphertext) {}

  /**
   * The page of {@code tenant}'s log after {@code since} (none: a tenant that never wrote): at most
   * {@code maxRows} rows and, with {@code maxBytes}, no more decoded ciphertext than that, except
   * that a qualifying first row always comes. The first batch is read now, while a failing database
   * can still be answered with its status; the rest as the body is written.
   */
  public StreamingOutput open(
      Optional<Long> tenant, long since, int maxRows, OptionalLong maxBytes) {
    int firstAsked = Math.min(BATCH_ROWS, maxRows);
    List<Row> first;
    try {
      first = tenant.isEmpty() ? List.of() : readBatch(tenant.get(), since, firstAsked);
    } catch (SQLException e) {
      throw new IllegalStateException("replay lookup failed", e);
    }
    return new Page(tenant.orElse(null), since, maxRows, maxBytes, first);
  }

  final class Page implements StreamingOutput {
    private final Long tenantId;
    private final long since;
    private final int maxRows;
    private final OptionalLong maxBytes;

    /** The first batch, until the page takes it (so that it is not held to the end). */
    private List<Row> first;

    Page(Long tenantId, long since, int maxRows, OptionalLong maxBytes, List<Row> first) {
      this.tenantId = tenantId;
      this.since = since;
      this.maxRows = maxRows;
      this.maxBytes = maxBytes;
      this.first = first;
    }

    /**
     * Writes {@code {"chunks":[…],"count":N}} (with a budget also {@code has_more} and {@code
     * next_since}). The status is sent by now: a client that goes away ends the stream quietly; a
     * database failure is logged and raised to the runtime, and the body then lacks its closing
     * count, so that it never looks like a complete page.
     */
    @Override
    public void write(OutputStream raw) throws IOException {
      OutputStream out = new BufferedOutputStream(raw, 32 * 1024);
      try {
        writePage(out);
        out.flush();
      } catch (IOException e) {
        // Only the response can throw it: the client closed the connection. Not a server fault.
        LOG.log(Level.FINE, "replay: the client went away mid-page", e);
      } catch (SQLException e) {
        // Too late for a status (a transient failure would have been a 503 before the page).
        LOG.log(
            DatabaseFailures.isTransient(e) ? Level.WARNING : Level.SEVERE,
            "agent-state GET replay failed mid-page: replay_lookup_failed",
            e);
        throw new IOException("replay_lookup_failed", e);
      }
    }

    private void writePage(OutputStream out) throws IOException, SQLException {
      List<Row> batch = first;
      first = null;
      ascii(out, "{\"chunks\":[");
      int asked = Math.min(BATCH_ROWS, maxRows);
      int count = 0;
      long bytes = 0;
      long last = since;
      boolean more;
      page:
      while (true) {
        for (Row row : batch) {
          if (maxBytes.isPresent()
              && count > 0
              && bytes + row.ciphertext().length > maxBytes.getAsLong()) {
            more = true;
            break page;
          }
          if (count > 0) {
            out.write(',');
          }
          writeRow(out, row);
          count++;
          bytes += row.ciphertext().length;
          last = row.sequenceNumber();
        }
        if (batch.size() < asked) {
          more = false;
          break;
        }
        if (count == maxRows) {
          more = maxBytes.isPresent() && hasRowAfter(tenantId, last);
          break;
        }
        asked = Math.min(BATCH_ROWS, maxRows - count);
        batch = List.of(); // the written batch can go before the next one is read
        batch = readBatch(tenantId, last, asked);
      }
      ascii(out, "],\"count\":" + count);
      if (maxBytes.isPresent()) {
        ascii(out, ",\"has_more\":" + more + ",\"next_since\":" + last);
      }
      ascii(out, "}");
      metrics.replayPage(bytes);
    }
  }

  private static void writeRow(OutputStream out, Row row) throws IOException {
    ascii(out, "{\"sequence_number\":" + row.sequenceNumber() + ",\"block_hash\":");
    string(out, row.blockHash());
    ascii(out, ",\"ciphertext_b64\":\"");
    // Base64 needs no JSON escaping; the encoder writes through, so no String of the block exists.
    try (OutputStream b64 = Base64.getEncoder().wrap(new Unclosable(out))) {
      b64.write(row.ciphertext());
    }
    ascii(out, "\",\"merkle_root\":");
    string(out, row.merkleRoot());
    ascii(out, ",\"created_at\":\"" + Timestamps.format(row.createdAt()) + "\"}");
  }

  private static void ascii(OutputStream out, String s) throws IOException {
    out.write(s.getBytes(StandardCharsets.US_ASCII));
  }

  /** A JSON string, escaped (the hashes are hex when written by the protocol, but are columns). */
  private static void string(OutputStream out, String s) throws IOException {
    out.write(JsonFactory.PROVIDER.createValue(s).toString().getBytes(StandardCharsets.UTF_8));
  }

  private List<Row> readBatch(long tenantId, long after, int limit) throws SQLException {
    List<Row> rows = new ArrayList<>(limit);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(BATCH_SQL)) {
      ps.setLong(1, tenantId);
      ps.setLong(2, after);
      ps.setInt(3, limit);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          rows.add(
              new Row(
                  rs.getLong(1),
                  rs.getString(2).trim(),
                  rs.getString(3).trim(),
                  rs.getObject(4, OffsetDateTime.class),
                  rs.getBytes(5)));
        }
      }
    }
    return rows;
  }

  private boolean hasRowAfter(long tenantId, long after) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(MORE_SQL)) {
      ps.setLong(1, tenantId);
      ps.setLong(2, after);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** The response stream for the base64 encoder, whose close() would close it. */
  private static final class Unclosable extends OutputStream {
    private final OutputStream out;

    Unclosable(OutputStream out) {
      this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() {}
  }
}
