-- Totals the console and /syncx/status show (blocks, bytes, bundles, tenants, users), kept as rows
-- are added and removed instead of counted on every view: a count over a table that grows with use
-- costs more every day. Each total is split into 64 shards by tenant or user, so that concurrent
-- writers of different tenants rarely wait for each other's row; a total is the sum of its shards.
CREATE TABLE usage_total (
    name  TEXT     NOT NULL,
    shard SMALLINT NOT NULL CHECK (shard BETWEEN 0 AND 63),
    value BIGINT   NOT NULL,
    PRIMARY KEY (name, shard)
) WITH (
    -- Updated in place by nearly every write: room on the page for HOT updates, and vacuumed as
    -- soon as a few hundred dead versions exist (the table stays a few pages).
    fillfactor = 50,
    autovacuum_vacuum_scale_factor = 0,
    autovacuum_vacuum_threshold = 500
);

-- A statement-level trigger function: adds the rows its statement inserted (or subtracts those it
-- deleted) to the totals. Arguments: the total's name (an SQL expression over the row, so that one
-- trigger can count per kind), the shard key (an integer expression), and the byte size (an
-- expression, or '' when only rows are counted). Totals are named <name>.rows and <name>.bytes.
CREATE FUNCTION usage_total_track() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    EXECUTE format(
        'INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)'
        ' SELECT c.name || v.suffix, c.shard, %5$s * v.value FROM'
        ' (SELECT %1$s AS name, ((%2$s) %% 64)::smallint AS shard, count(*) AS n, %3$s AS b'
        ' FROM %4$I GROUP BY 1, 2) c'
        ' CROSS JOIN LATERAL (VALUES (''.rows'', c.n), (''.bytes'', c.b)) AS v(suffix, value)'
        ' WHERE v.value IS NOT NULL ORDER BY 1, 2'
        ' ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value',
        TG_ARGV[0], TG_ARGV[1],
        CASE WHEN TG_ARGV[2] = '' THEN 'NULL::bigint' ELSE 'sum(' || TG_ARGV[2] || ')' END,
        CASE TG_OP WHEN 'DELETE' THEN 'removed' ELSE 'added' END,
        CASE TG_OP WHEN 'DELETE' THEN -1 ELSE 1 END);
    RETURN NULL;
END
$fn$;

-- Creating a trigger locks its table against writes until this migration commits, so the counts
-- taken below are exactly what the triggers continue.
CREATE TRIGGER usage_total_added AFTER INSERT ON tenant REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION usage_total_track('''tenant.'' || kind', 'id', '');
CREATE TRIGGER usage_total_removed AFTER DELETE ON tenant REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION usage_total_track('''tenant.'' || kind', 'id', '');
CREATE TRIGGER usage_total_added AFTER INSERT ON replication_log REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION usage_total_track('''replication_log''', 'tenant_id', 'byte_size');
CREATE TRIGGER usage_total_removed AFTER DELETE ON replication_log REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION usage_total_track('''replication_log''', 'tenant_id', 'byte_size');
CREATE TRIGGER usage_total_added AFTER INSERT ON agent_state_snapshots REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION usage_total_track('''agent_state_snapshots''', 'tenant_id', '');
CREATE TRIGGER usage_total_removed AFTER DELETE ON agent_state_snapshots REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION usage_total_track('''agent_state_snapshots''', 'tenant_id', '');

INSERT INTO usage_total (name, shard, value)
SELECT 'tenant.' || kind || '.rows', (id % 64)::smallint, count(*) FROM tenant GROUP BY 1, 2;
INSERT INTO usage_total (name, shard, value)
SELECT 'replication_log.' || v.suffix, x.shard, v.value
FROM (SELECT (tenant_id % 64)::smallint AS shard, count(*) AS n, sum(byte_size) AS b
      FROM replication_log GROUP BY 1) x
CROSS JOIN LATERAL (VALUES ('rows', x.n), ('bytes', x.b)) AS v(suffix, value);
INSERT INTO usage_total (name, shard, value)
SELECT 'agent_state_snapshots.rows', (tenant_id % 64)::smallint, count(*) FROM agent_state_snapshots GROUP BY 2;

-- The console's agent-state view shows a tenant's blocks and bytes: kept per tenant too, since a busy
-- tenant's log holds hundreds of thousands of blocks. A tenant's appends already wait for each
-- other (the replicate path's lock), so its row adds no wait.
CREATE TABLE replication_log_total (
    tenant_id BIGINT PRIMARY KEY,
    blocks    BIGINT NOT NULL,
    bytes     BIGINT NOT NULL
) WITH (fillfactor = 50);

CREATE FUNCTION replication_log_total_track() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "${flyway:defaultSchema}".replication_log_total AS t (tenant_id, blocks, bytes)
        SELECT tenant_id, count(*), sum(byte_size) FROM added GROUP BY tenant_id ORDER BY tenant_id
        ON CONFLICT (tenant_id) DO UPDATE
            SET blocks = t.blocks + EXCLUDED.blocks, bytes = t.bytes + EXCLUDED.bytes;
    ELSE
        UPDATE "${flyway:defaultSchema}".replication_log_total AS t
        SET blocks = t.blocks - r.n, bytes = t.bytes - r.b
        FROM (SELECT tenant_id, count(*) AS n, sum(byte_size) AS b FROM removed GROUP BY tenant_id) r
        WHERE t.tenant_id = r.tenant_id;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE TRIGGER log_total_added AFTER INSERT ON replication_log REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION replication_log_total_track();
CREATE TRIGGER log_total_removed AFTER DELETE ON replication_log REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION replication_log_total_track();
INSERT INTO replication_log_total (tenant_id, blocks, bytes)
SELECT tenant_id, count(*), sum(byte_size) FROM replication_log GROUP BY tenant_id;

-- Live keys are counted by the console's overview: only the unrevoked ones are read.
CREATE INDEX api_key_live ON api_key (expires_at) WHERE revoked_at IS NULL;

-- Autovacuum per table, where the defaults (vacuum at 20 % dead rows, analyze at 10 % changed rows,
-- insert-triggered vacuum at 20 % new rows) fall behind at volume; docs/operating.md explains each.
-- Append-only logs: frequent insert-triggered vacuums keep the visibility map current (index-only
-- scans, cheap anti-wraparound freezes) and frequent analyzes keep a heavy tenant's statistics true.
ALTER TABLE replication_log SET (
    autovacuum_vacuum_insert_scale_factor = 0.02,
    autovacuum_analyze_scale_factor = 0.02,
    toast.autovacuum_vacuum_insert_scale_factor = 0.02
);
ALTER TABLE credit_ledger SET (
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.05
);
ALTER TABLE operator_audit SET (
    autovacuum_vacuum_insert_scale_factor = 0.05,
    autovacuum_analyze_scale_factor = 0.05
);
-- Updated on every paid request (the balance) and once a minute per used key (last_used_at): free
-- room on each page lets those updates stay on the page (HOT), without new index entries.
ALTER TABLE account SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);
ALTER TABLE api_key SET (fillfactor = 80, autovacuum_vacuum_scale_factor = 0.05);
