-- What the sync schema needs at volume beyond the reference's layout, (re)applied at every start
-- after the layout is validated: an index per-user reads need, autovacuum settings per table, and
-- the totals of users and bundles kept in usage_total (migration V4) instead of counted. Reference
-- tooling writing the same tables is unaffected (its writes are counted too). docs/operating.md
-- explains the settings.

-- The console's user view counts a user's open snapshot sessions, and deleting a user cascades here.
CREATE INDEX IF NOT EXISTS ss_user_idx ON sync.snapshot_sessions (user_pk);

DO $do$
DECLARE
    t RECORD;
    k RECORD;
    installed OID;
BEGIN
    FOR t IN SELECT * FROM (VALUES
        -- Updated by every commit (next bundle number, retained floor; the source's last bundle):
        -- free room on each page keeps those updates on the page (HOT, no new index entries), and
        -- dead versions are vacuumed after 2 % of the table instead of 20 %.
        ('sync.user_state', ARRAY['fillfactor=70', 'autovacuum_vacuum_scale_factor=0.02',
                                  'autovacuum_analyze_scale_factor=0.05']),
        ('sync.source_state', ARRAY['fillfactor=70', 'autovacuum_vacuum_scale_factor=0.02']),
        ('sync.scope_state', ARRAY['fillfactor=80', 'autovacuum_vacuum_scale_factor=0.05']),
        -- One row per business row, rewritten by every bundle that changes it.
        ('sync.row_state', ARRAY['fillfactor=85', 'autovacuum_vacuum_scale_factor=0.05',
                                 'autovacuum_analyze_scale_factor=0.02']),
        -- Append-mostly history, trimmed from the old end by retention: vacuumed and analyzed
        -- after 2 % of changes, so that pruned space is reused and heavy users' statistics hold.
        ('sync.bundle_log', ARRAY['autovacuum_vacuum_scale_factor=0.02',
                                  'autovacuum_vacuum_insert_scale_factor=0.02',
                                  'autovacuum_analyze_scale_factor=0.02']),
        ('sync.bundle_rows', ARRAY['autovacuum_vacuum_scale_factor=0.02',
                                   'autovacuum_vacuum_insert_scale_factor=0.02',
                                   'autovacuum_analyze_scale_factor=0.02']),
        -- A queue: every commit inserts and deletes its captures. Vacuumed after every 1,000 dead
        -- rows whatever its size, so that it stays a few pages.
        ('sync.bundle_capture_stage', ARRAY['autovacuum_vacuum_scale_factor=0',
                                            'autovacuum_vacuum_threshold=1000',
                                            'autovacuum_vacuum_insert_scale_factor=0',
                                            'autovacuum_vacuum_insert_threshold=1000']),
        -- Sessions live minutes and are swept in batches.
        ('sync.push_sessions', ARRAY['autovacuum_vacuum_scale_factor=0.05']),
        ('sync.push_session_rows', ARRAY['autovacuum_vacuum_scale_factor=0.05']),
        ('sync.snapshot_sessions', ARRAY['autovacuum_vacuum_scale_factor=0.05']),
        ('sync.snapshot_session_rows', ARRAY['autovacuum_vacuum_scale_factor=0.05'])
    ) AS x(name, options)
    LOOP
        -- ALTER TABLE waits for a running autovacuum of the table: only when something differs.
        IF NOT coalesce((SELECT reloptions FROM pg_class WHERE oid = t.name::regclass), '{}') @> t.options THEN
            EXECUTE format('ALTER TABLE %s SET (%s)', t.name, array_to_string(t.options, ', '));
        END IF;
    END LOOP;

    -- The totals need usage_total and their trigger functions (migrations V4 and V5); a database
    -- bootstrapped without the migrations (reference tooling, tests of the bootstrap alone) has none.
    IF to_regprocedure('sync_bundle_log_totals()') IS NULL THEN
        RETURN;
    END IF;
    FOR k IN SELECT * FROM (VALUES
        ('sync.user_state', 'sync_user_state_totals()', $count$
            INSERT INTO usage_total (name, shard, value)
            SELECT 'sync.user_state.rows', (user_pk % 64)::smallint, count(*) FROM sync.user_state GROUP BY 2
        $count$),
        ('sync.bundle_log', 'sync_bundle_log_totals()', $count$
            INSERT INTO usage_total (name, shard, value)
            SELECT 'sync.bundle_log.' || v.suffix, x.shard, v.value
            FROM (SELECT (user_pk % 64)::smallint AS shard, count(*) AS n, sum(byte_count) AS b
                  FROM sync.bundle_log GROUP BY 1) x
            CROSS JOIN LATERAL (VALUES ('rows', x.n), ('bytes', x.b)) AS v(suffix, value)
        $count$)
    ) AS x(name, fn, count_existing)
    LOOP
        SELECT tgfoid INTO installed FROM pg_trigger
        WHERE tgrelid = k.name::regclass AND tgname = 'usage_total_added';
        CONTINUE WHEN installed = k.fn::regprocedure;
        -- Dropping and creating triggers locks the table against writes until commit, so no write
        -- falls between the old trigger and the new one, nor between a count and the trigger.
        IF installed IS NOT NULL THEN
            -- An earlier version's trigger (V4's generic function, which planned its statement
            -- anew for every write): swapped, and the totals go on from where it left them.
            EXECUTE format('DROP TRIGGER usage_total_added ON %s', k.name);
            EXECUTE format('DROP TRIGGER usage_total_removed ON %s', k.name);
        END IF;
        EXECUTE format('CREATE TRIGGER usage_total_added AFTER INSERT ON %s'
                       ' REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION %s',
                       k.name, k.fn);
        EXECUTE format('CREATE TRIGGER usage_total_removed AFTER DELETE ON %s'
                       ' REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION %s',
                       k.name, k.fn);
        IF installed IS NULL THEN
            -- Installed once per sync schema, with a count of the rows already there; a sync
            -- schema dropped and created anew starts its totals afresh.
            DELETE FROM usage_total WHERE left(name, length(k.name) + 1) = k.name || '.';
            EXECUTE k.count_existing;
        END IF;
    END LOOP;
END
$do$;
