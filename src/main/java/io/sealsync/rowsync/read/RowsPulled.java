package io.sealsync.rowsync.read;

/**
 * Fired (a CDI event) after each pull with the rows it served, for whoever counts them (the
 * operator console's chart) without row sync depending on it.
 */
public record RowsPulled(long rows) {}
