-- Every state-changing operator action (operator API and console), written in the transaction of
-- the action itself; failed actions are written on their own after the rollback.
CREATE TABLE operator_audit (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    actor      TEXT        NOT NULL,
    action     TEXT        NOT NULL,
    target     TEXT        NOT NULL DEFAULT '',
    outcome    TEXT        NOT NULL CHECK (outcome IN ('ok', 'failed')),
    detail     TEXT        NOT NULL DEFAULT ''
);
CREATE INDEX operator_audit_action ON operator_audit (action, id DESC);
CREATE INDEX operator_audit_actor ON operator_audit (actor, id DESC);

-- Append-only: rows can be added, never changed or removed, not even by the application.
CREATE FUNCTION operator_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'operator_audit is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER operator_audit_no_update_or_delete
    BEFORE UPDATE OR DELETE ON operator_audit
    FOR EACH ROW EXECUTE FUNCTION operator_audit_append_only();
CREATE TRIGGER operator_audit_no_truncate
    BEFORE TRUNCATE ON operator_audit
    FOR EACH STATEMENT EXECUTE FUNCTION operator_audit_append_only();
