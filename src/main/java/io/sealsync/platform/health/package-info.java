/**
 * MicroProfile Health checks ({@code /health/live}, {@code /health/ready}).
 *
 * <ul>
 *   <li>{@link io.sealsync.platform.health.LivenessCheck} — alive while the JVM has heap to spare;
 *       a dead database does not restart a live process.
 *   <li>{@link io.sealsync.platform.health.ReadinessChecks} — ready when the database answers and
 *       the Flyway migrations are applied; it asks {@link
 *       io.sealsync.platform.db.DatabaseMigrations}, whose methods run in the application's naming
 *       context even when a server calls the check on a thread of its own.
 * </ul>
 *
 * <p>Row sync adds its own readiness check, {@link io.sealsync.rowsync.api.SyncReadiness} (not
 * ready once shutdown has begun). The protocol-level status of row sync is {@code /syncx/status}.
 * No transactions, no locks.
 */
package io.sealsync.platform.health;
