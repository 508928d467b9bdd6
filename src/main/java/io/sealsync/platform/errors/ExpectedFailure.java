package io.sealsync.platform.errors;

/**
 * A failure that is one of the protocols' answers (a 4xx, or a 503 that clients retry), not a fault
 * of the server: it rolls its transaction back like any other, but is never logged as an error or
 * an incident ({@link ExpectedFailures}).
 */
public interface ExpectedFailure {}
