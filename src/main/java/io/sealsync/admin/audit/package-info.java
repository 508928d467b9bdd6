/**
 * The operators' audit log: the append-only table {@code operator_audit} (migration V3; a trigger
 * refuses UPDATE, DELETE and TRUNCATE) and {@code GET /admin/audit}.
 *
 * <p>Entry points: {@link io.sealsync.admin.audit.OperatorActions#run} around every state-changing
 * operator action; {@link io.sealsync.admin.audit.AuditResource} for reads. Transactions: {@link
 * io.sealsync.admin.audit.AuditedTransaction} opens one transaction (REQUIRED) in which the action
 * runs and {@link io.sealsync.admin.audit.AuditLog#append} (MANDATORY) writes its record, so both
 * commit or roll back together; a failed action is recorded after its rollback by {@link
 * io.sealsync.admin.audit.AuditLog#appendAlone} (REQUIRES_NEW). The actor is the container's
 * principal. No locks.
 */
package io.sealsync.admin.audit;
