package io.sealsync.rowsync.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sealsync.rowsync.SyncException;
import io.sealsync.rowsync.codec.BundleRow;
import io.sealsync.rowsync.codec.GoTime;
import io.sealsync.rowsync.codec.StagedRow;
import io.sealsync.rowsync.schema.RegisteredTable;
import io.sealsync.rowsync.schema.TableSpec;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Chunk validation and key encodings, without a database (rowsync.md §8.2, §10, §17.4). */
class PushChunkTest {
  static final RegisteredTable FILES =
      new RegisteredTable(
          1,
          new TableSpec("demo", "files", "id"),
          RegisteredTable.KeyKind.UUID,
          Map.of("id", "uuid", "name", "text", "content", "bytea"));
  static final RegisteredTable TAGS =
      new RegisteredTable(
          2,
          new TableSpec("demo", "tags", "name"),
          RegisteredTable.KeyKind.TEXT,
          Map.of("name", "text", "color", "text"));

  static PushChunk parse(String rows) {
    JsonObject body =
        Json.createReader(new StringReader("{\"start_row_ordinal\":0,\"rows\":[" + rows + "]}"))
            .readObject();
    return PushChunk.parse(
        body,
        (schema, table) ->
            Optional.ofNullable(
                schema.equals("demo") ? Map.of("files", FILES, "tags", TAGS).get(table) : null));
  }

  static String code(String rows) {
    return assertThrows(SyncException.class, () -> parse(rows)).error().code();
  }

  @Test
  void uuidKeysAreTheirSixteenBytes() {
    StagedRow r =
        parse(
                "{\"schema\":\" DEMO \",\"table\":\"Files\",\"key\":{\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"},"
                    + "\"op\":\"insert\",\"payload\":{\"name\":\"a\",\"content\":\"AAEC/w==\"}}")
            .rows()
            .get(0);
    assertEquals("00112233445566778899aabbccddeeff", HexFormat.of().formatHex(r.keyBytes()));
    assertEquals("00112233-4455-6677-8899-aabbccddeeff", BundleRow.keyText(FILES, r.keyBytes()));
    assertEquals(StagedRow.Op.INSERT, r.op());
    // bytea travels as base64 and is applied as PostgreSQL hex; the key is injected.
    assertEquals(
        "{\"content\":\"\\\\x000102ff\",\"id\":\"00112233-4455-6677-8899-aabbccddeeff\",\"name\":\"a\"}",
        r.payloadApply());
  }

  @Test
  void textKeysAreTheirUtf8Bytes() {
    StagedRow r =
        parse(
                "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"é😀\"},\"op\":\"DELETE\",\"base_row_version\":7}")
            .rows()
            .get(0);
    assertArrayEquals("é😀".getBytes(StandardCharsets.UTF_8), r.keyBytes());
    assertEquals("é😀", BundleRow.keyText(TAGS, r.keyBytes()));
    assertNull(r.payloadApply());
    assertEquals(7, r.baseRowVersion());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"schema\":\"demo\",\"table\":\"files\",\"key\":{\"id\":\"00112233-4455-6677-8899-AABBCCDDEEFF\"},\"op\":\"INSERT\",\"payload\":{}}",
        "{\"schema\":\"demo\",\"table\":\"files\",\"key\":{\"id\":\"0011223344556677-8899-aabbccddeeff\"},\"op\":\"INSERT\",\"payload\":{}}",
        "{\"schema\":\"demo\",\"table\":\"files\",\"key\":{\"other\":\"x\"},\"op\":\"INSERT\",\"payload\":{}}",
        "{\"schema\":\"demo\",\"table\":\"files\",\"key\":{\"id\":7},\"op\":\"INSERT\",\"payload\":{}}",
        "{\"schema\":\"other\",\"table\":\"files\",\"key\":{\"id\":\"x\"},\"op\":\"INSERT\",\"payload\":{}}",
        "{\"schema\":\"demo\",\"table\":\"fi-les\",\"key\":{\"id\":\"x\"},\"op\":\"INSERT\",\"payload\":{}}",
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"UPSERT\",\"payload\":{}}",
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"DELETE\",\"payload\":null}",
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"UPDATE\"}",
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"INSERT\",\"payload\":{\"_sync_scope_id\":\"y\"}}",
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"INSERT\",\"payload\":{\"name\":\"y\"}}",
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"INSERT\",\"payload\":{\"bad-name\":1}}",
        "{\"schema\":\"demo\",\"table\":\"files\",\"key\":{\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"},\"op\":\"INSERT\",\"payload\":{\"content\":\"AAE\"}}",
        "{\"schema\":\"demo\",\"table\":\"files\",\"key\":{\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"},\"op\":\"INSERT\",\"payload\":{\"content\":5}}"
      })
  void invalidRowsArePushChunkInvalid(String row) {
    assertEquals("push_chunk_invalid", code(row));
  }

  @Test
  void duplicatesEmptyAndOversizedChunksAreRefused() {
    String row =
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"DELETE\"}";
    assertEquals("push_chunk_invalid", code(row + "," + row));
    assertEquals("push_chunk_invalid", code(""));
    java.util.List<String> rows = new java.util.ArrayList<>();
    for (int i = 0; i <= PushChunk.MAX_ROWS; i++) {
      rows.add(row.replace("\"x\"", "\"k" + i + "\""));
    }
    assertEquals("push_chunk_invalid", code(String.join(",", rows)));
    assertEquals(
        PushChunk.MAX_ROWS, parse(String.join(",", rows.subList(1, rows.size()))).rows().size());
  }

  @Test
  void nullByteaStaysNull() {
    StagedRow r =
        parse(
                "{\"schema\":\"demo\",\"table\":\"files\",\"key\":{\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"},"
                    + "\"op\":\"UPDATE\",\"payload\":{\"content\":null}}")
            .rows()
            .get(0);
    assertEquals(
        "{\"content\":null,\"id\":\"00112233-4455-6677-8899-aabbccddeeff\"}", r.payloadApply());
  }

  @Test
  void wireTimestampsFollowGo() {
    assertEquals(
        "2026-05-20T08:00:00Z", GoTime.format(java.time.Instant.parse("2026-05-20T08:00:00Z")));
    assertEquals(
        "2026-05-20T08:00:00.12Z",
        GoTime.format(java.time.Instant.parse("2026-05-20T08:00:00.120Z")));
    assertEquals(
        "2026-05-20T08:00:00.000001Z",
        GoTime.format(java.time.Instant.parse("2026-05-20T08:00:00.000001Z")));
  }

  @Test
  void numbersBeyondADoubleAreInvalidRows() {
    assertEquals(
        "push_chunk_invalid",
        code(
            "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"INSERT\","
                + "\"payload\":{\"color\":1e400}}"));
  }

  @Test
  void hugeNamesAndOpsAreRefusedWithoutCaseMappingThem() {
    // Java's case mapping is quadratic on characters that expand (ß → SS, İ → i̇): minutes for a
    // megabyte, so such strings must be refused before they are mapped.
    String huge = "ß".repeat(200_000);
    String row =
        "{\"schema\":\"demo\",\"table\":\"tags\",\"key\":{\"name\":\"x\"},\"op\":\"INSERT\",\"payload\":{}}";
    assertTimeoutPreemptively(
        Duration.ofSeconds(5),
        () -> {
          assertEquals("push_chunk_invalid", code(row.replace("\"INSERT\"", "\"" + huge + "\"")));
          assertEquals(
              "push_chunk_invalid",
              code(row.replace("\"tags\"", "\"" + "İ".repeat(200_000) + "\"")));
          assertEquals(
              "push_chunk_invalid",
              code(row.replace("\"payload\":{}", "\"payload\":{\"" + huge + "\":1}")));
        });
    assertEquals(
        PushChunk.parse(
                Json.createReader(
                        new StringReader(
                            "{\"start_row_ordinal\":0,\"rows\":["
                                + row.replace("INSERT", "insert").replace("tags", "TAGS")
                                + "]}"))
                    .readObject(),
                (schema, table) -> Optional.ofNullable(table.equals("tags") ? TAGS : null))
            .rows()
            .get(0)
            .op(),
        StagedRow.Op.INSERT);
  }
}
