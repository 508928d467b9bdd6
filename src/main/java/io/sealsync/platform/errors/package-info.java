/**
 * The error envelope of everything that is not a wire protocol: {@code
 * {"error":"<code>","message":"<text>"}}.
 *
 * <p>{@link io.sealsync.platform.errors.ApiException} carries a status and a code (the operator
 * API's {@code invalid_request}, {@code not_found}, {@code name_taken}, {@code request_too_large}).
 * {@link io.sealsync.platform.errors.ApiExceptionMapper} is the catch-all {@code
 * ExceptionMapper<Throwable>}: it renders {@code ApiException}s, the runtime's own 4xx (a wrong
 * method becomes {@code 405 method_not_allowed}, an unknown path {@code 404 not_found}) and 503s; a
 * transient database failure becomes {@code 503 service_unavailable} with {@code Retry-After};
 * anything else is logged and answered {@code 500 internal_error}.
 *
 * <p>The protocols render their own errors: agent state in {@link
 * io.sealsync.agentstate.AgentStateErrors} ({@code {"error"}} only; it hands failures of other
 * requests back to {@code ApiExceptionMapper}), row sync in {@link
 * io.sealsync.rowsync.api.SyncExceptionMapper} and {@link
 * io.sealsync.rowsync.api.TransientSyncExceptionMapper}. No transactions, no locks.
 *
 * <p>Outside JAX-RS, {@link io.sealsync.platform.errors.ServletAnswers} writes what these renderers
 * build to a servlet response: for the servlet filters that answer before JAX-RS, and for {@link
 * io.sealsync.platform.errors.ErrorEnvelopeServlet}, the application's error page, which answers
 * what the application server refused itself in the envelope of the path's protocol.
 */
package io.sealsync.platform.errors;
