/**
 * Database access shared by every feature, and the schema's lifecycle.
 *
 * <ul>
 *   <li>{@link io.sealsync.platform.db.Database} — plain JDBC connections from {@code
 *       jdbc/sealsync}, for the PostgreSQL-specific and hot paths (advisory locks, GUCs, triggers,
 *       {@code unnest} batches). Inside a container transaction the connection is enlisted in it
 *       and shared with the persistence context, so JDBC and JPA work of one request commit
 *       together.
 *   <li>{@link io.sealsync.platform.db.DatabaseFailures} — which {@code SQLException}s are
 *       retryable (SQLSTATE {@code 40001}, {@code 40P01}, {@code 55P03}) and which are transient
 *       (also class {@code 08}, {@code 57P01}-{@code 57P03}, {@code 53300}): those are answered
 *       {@code 503} with {@code Retry-After}, never 500.
 *   <li>{@link io.sealsync.platform.db.DatabaseMigrations} — a {@code @Startup} singleton running
 *       Flyway over {@code db/migration} before anything is served, outside any container
 *       transaction ({@code NOT_SUPPORTED}); Flyway serializes concurrent node starts with its own
 *       PostgreSQL advisory lock. Its {@code databaseReachable} backs the readiness check. The
 *       {@code sync} schema of row sync is not Flyway's: {@link
 *       io.sealsync.rowsync.schema.RowSyncRuntime} bootstraps it after the migrations.
 * </ul>
 */
package io.sealsync.platform.db;
