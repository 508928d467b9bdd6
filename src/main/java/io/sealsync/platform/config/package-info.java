/**
 * Parsing of MicroProfile Config values that the {@code @ConfigProperty} converters do not cover.
 *
 * <p>{@link io.sealsync.platform.config.ConfigDurations} reads durations written as ISO-8601
 * ({@code PT15M}), whole seconds ({@code 900}) or a number with a unit ({@code 900s}, {@code 15m},
 * {@code 2h}, {@code 500ms}) and refuses anything else, or a value that is not positive, with a
 * message naming the setting, so that a deployment stops at start with the reason. Used by the
 * row-sync settings {@code sealsync.rowsync.initialization-lease-ttl}, {@code
 * …session-sweep-interval} and {@code …status-refresh-interval}, and by {@code
 * sealsync.agent-state.ciphertext-url-ttl-seconds}. {@link
 * io.sealsync.platform.config.ConfigNumbers} range-checks numbers the same way. {@link
 * io.sealsync.platform.config.FeatureSettings} reads one feature's settings record ({@code
 * AgentStateSettings}, {@code BillingSettings}) and logs why the feature cannot start.
 *
 * <p>No transactions, no locks, no state.
 */
package io.sealsync.platform.config;
