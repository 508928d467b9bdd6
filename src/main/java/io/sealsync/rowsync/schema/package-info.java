/**
 * The {@code sync} schema and the registered tables (rowsync.md §17-§19): {@link
 * io.sealsync.rowsync.schema.RowSyncRuntime} runs {@link
 * io.sealsync.rowsync.schema.SyncSchemaBootstrap} at start (layout, functions, triggers, under the
 * bootstrap lock) after {@code RegisteredTableValidation} checked every table (§19), and keeps the
 * resulting immutable {@link io.sealsync.rowsync.schema.RegisteredTables} for the request paths.
 * The SQL of the layout and the trigger functions is in {@code sync-layout.sql} and {@code
 * sync-functions.sql} beside this package's classes.
 */
package io.sealsync.rowsync.schema;
