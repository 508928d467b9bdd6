-- The kept totals of V4, maintained by one trigger function per table with static SQL. V4's one
-- generic function built its statement with format() and EXECUTE, so PostgreSQL parsed and planned
-- it again for every statement that wrote a block, a bundle or a snapshot: a third more database CPU
-- per replicated block. Static statements in PL/pgSQL are planned once per connection. The
-- replication log's two totals (usage_total and replication_log_total) are kept by one statement
-- over its transition table instead of two triggers each reading their own.
--
-- Each function writes the usage_total rows it changes in (name, shard) order, as V4's did, so
-- that two writers never wait for each other's rows in opposite orders.

CREATE FUNCTION replication_log_totals() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        WITH per_tenant AS (
            SELECT tenant_id, count(*) AS n, sum(byte_size) AS b FROM added GROUP BY tenant_id
        ), kept AS (
            INSERT INTO "${flyway:defaultSchema}".replication_log_total AS t (tenant_id, blocks, bytes)
            SELECT tenant_id, n, b FROM per_tenant ORDER BY tenant_id
            ON CONFLICT (tenant_id) DO UPDATE
                SET blocks = t.blocks + EXCLUDED.blocks, bytes = t.bytes + EXCLUDED.bytes
        )
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'replication_log.' || v.suffix, s.shard, v.value
        FROM (SELECT (tenant_id % 64)::smallint AS shard, sum(n) AS n, sum(b) AS b
              FROM per_tenant GROUP BY 1) s
        CROSS JOIN LATERAL (VALUES ('bytes', s.b), ('rows', s.n)) AS v(suffix, value)
        ORDER BY 1, 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    ELSE
        WITH per_tenant AS (
            SELECT tenant_id, count(*) AS n, sum(byte_size) AS b FROM removed GROUP BY tenant_id
        ), kept AS (
            UPDATE "${flyway:defaultSchema}".replication_log_total AS t
            SET blocks = t.blocks - r.n, bytes = t.bytes - r.b
            FROM per_tenant r WHERE t.tenant_id = r.tenant_id
        )
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'replication_log.' || v.suffix, s.shard, -v.value
        FROM (SELECT (tenant_id % 64)::smallint AS shard, sum(n) AS n, sum(b) AS b
              FROM per_tenant GROUP BY 1) s
        CROSS JOIN LATERAL (VALUES ('bytes', s.b), ('rows', s.n)) AS v(suffix, value)
        ORDER BY 1, 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION tenant_totals() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'tenant.' || kind || '.rows', (id % 64)::smallint, count(*) FROM added
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    ELSE
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'tenant.' || kind || '.rows', (id % 64)::smallint, -count(*) FROM removed
        GROUP BY 1, 2 ORDER BY 1, 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION agent_state_snapshots_totals() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'agent_state_snapshots.rows', (tenant_id % 64)::smallint, count(*) FROM added
        GROUP BY 2 ORDER BY 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    ELSE
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'agent_state_snapshots.rows', (tenant_id % 64)::smallint, -count(*) FROM removed
        GROUP BY 2 ORDER BY 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    END IF;
    RETURN NULL;
END
$fn$;

-- The sync schema's tables (sync-volume.sql moves their triggers to these at the next start). The
-- tables may not exist yet: PL/pgSQL resolves them when the trigger first runs.
CREATE FUNCTION sync_user_state_totals() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'sync.user_state.rows', (user_pk % 64)::smallint, count(*) FROM added
        GROUP BY 2 ORDER BY 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    ELSE
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'sync.user_state.rows', (user_pk % 64)::smallint, -count(*) FROM removed
        GROUP BY 2 ORDER BY 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    END IF;
    RETURN NULL;
END
$fn$;

CREATE FUNCTION sync_bundle_log_totals() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'sync.bundle_log.' || v.suffix, s.shard, v.value
        FROM (SELECT (user_pk % 64)::smallint AS shard, count(*) AS n, sum(byte_count) AS b
              FROM added GROUP BY 1) s
        CROSS JOIN LATERAL (VALUES ('bytes', s.b), ('rows', s.n)) AS v(suffix, value)
        ORDER BY 1, 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    ELSE
        INSERT INTO "${flyway:defaultSchema}".usage_total AS u (name, shard, value)
        SELECT 'sync.bundle_log.' || v.suffix, s.shard, -v.value
        FROM (SELECT (user_pk % 64)::smallint AS shard, count(*) AS n, sum(byte_count) AS b
              FROM removed GROUP BY 1) s
        CROSS JOIN LATERAL (VALUES ('bytes', s.b), ('rows', s.n)) AS v(suffix, value)
        ORDER BY 1, 2
        ON CONFLICT (name, shard) DO UPDATE SET value = u.value + EXCLUDED.value;
    END IF;
    RETURN NULL;
END
$fn$;

-- Swapping a trigger in this transaction locks its table against writes until commit: no write
-- falls between the old trigger and the new one, so the totals continue exactly.
DROP TRIGGER usage_total_added ON tenant;
DROP TRIGGER usage_total_removed ON tenant;
CREATE TRIGGER usage_total_added AFTER INSERT ON tenant REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_totals();
CREATE TRIGGER usage_total_removed AFTER DELETE ON tenant REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION tenant_totals();

DROP TRIGGER usage_total_added ON agent_state_snapshots;
DROP TRIGGER usage_total_removed ON agent_state_snapshots;
CREATE TRIGGER usage_total_added AFTER INSERT ON agent_state_snapshots REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION agent_state_snapshots_totals();
CREATE TRIGGER usage_total_removed AFTER DELETE ON agent_state_snapshots REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION agent_state_snapshots_totals();

DROP TRIGGER usage_total_added ON replication_log;
DROP TRIGGER usage_total_removed ON replication_log;
DROP TRIGGER log_total_added ON replication_log;
DROP TRIGGER log_total_removed ON replication_log;
DROP FUNCTION replication_log_total_track();
CREATE TRIGGER usage_total_added AFTER INSERT ON replication_log REFERENCING NEW TABLE AS added
    FOR EACH STATEMENT EXECUTE FUNCTION replication_log_totals();
CREATE TRIGGER usage_total_removed AFTER DELETE ON replication_log REFERENCING OLD TABLE AS removed
    FOR EACH STATEMENT EXECUTE FUNCTION replication_log_totals();
