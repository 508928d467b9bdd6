/**
 * Bytes that clients recompute, so they must match the reference server exactly: canonical JSON
 * ({@link io.sealsync.rowsync.codec.CanonicalJson}, §11.1, with Go's decoder and number format in
 * {@code GoDecoder} and {@code GoNumbers}), the bundle hash (§11.2), rows and bundles on the wire
 * ({@link io.sealsync.rowsync.codec.BundleRow}, {@link io.sealsync.rowsync.codec.Bundle}, §5.3,
 * §10) and Go's timestamp format ({@code GoTime}, §10.4).
 */
package io.sealsync.rowsync.codec;
