package io.sealsync.rowsync;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.util.Set;

/**
 * A snapshot session's request to retire the caller's source for a new one (rowsync.md §14.1,
 * §14.4): only the caller's own source, for one of the reasons a client may give.
 */
public record SourceReplacement(String previousSourceId, String newSourceId, String reason) {
  private static final Set<String> FIELDS = Set.of("previous_source_id", "new_source_id", "reason");
  private static final Set<String> REASONS =
      Set.of(
          "history_pruned",
          "source_sequence_out_of_order",
          "source_sequence_changed",
          "source_retired");

  /** The {@code source_replacement} field of a request by {@code actor}. */
  public static SourceReplacement parse(JsonValue value, SyncActor actor) {
    if (value.getValueType() != JsonValue.ValueType.OBJECT) {
      throw invalid("source_replacement must be an object");
    }
    JsonObject r = value.asJsonObject();
    for (String field : r.keySet()) {
      if (!FIELDS.contains(field)) {
        throw invalid("unknown field source_replacement." + SyncIds.excerpt(field));
      }
    }
    String previous = r.get("previous_source_id") instanceof JsonString s ? s.getString() : "";
    String next = r.get("new_source_id") instanceof JsonString s ? s.getString().trim() : "";
    String reason = r.get("reason") instanceof JsonString s ? s.getString() : "";
    if (!previous.equals(actor.sourceId())) {
      throw invalid("previous_source_id must be the Oversync-Source-ID");
    }
    // The other source id is the header's, already checked.
    if (!next.isEmpty() && !SyncIds.storable(next)) {
      throw invalid(
          "new_source_id must be at most " + SyncIds.MAX_LENGTH + " characters, without U+0000");
    }
    if (next.isEmpty() || next.equals(previous)) {
      throw invalid("new_source_id must be non-empty and new");
    }
    if (!REASONS.contains(reason)) {
      throw invalid("unsupported reason " + SyncIds.excerpt(reason));
    }
    return new SourceReplacement(previous, next, reason);
  }

  private static SyncException invalid(String message) {
    return SyncError.SNAPSHOT_SESSION_INVALID.exception(message);
  }
}
