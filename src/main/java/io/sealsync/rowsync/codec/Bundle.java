package io.sealsync.rowsync.codec;

import java.util.List;

/** A committed bundle's metadata, and its rows when they were loaded. */
public record Bundle(
    long bundleSeq,
    String sourceId,
    long sourceBundleId,
    long rowCount,
    long byteCount,
    String bundleHash,
    List<BundleRow> rows) {

  /** The five metadata members shared by commit, already_committed and committed-rows answers. */
  public void writeMetadata(StringBuilder sb) {
    sb.append("\"bundle_seq\":").append(bundleSeq).append(",\"source_id\":");
    CanonicalJson.quote(sb, sourceId);
    sb.append(",\"source_bundle_id\":")
        .append(sourceBundleId)
        .append(",\"row_count\":")
        .append(rowCount)
        .append(",\"bundle_hash\":\"")
        .append(bundleHash)
        .append('"');
  }
}
