-- The benchmark's volume profile (docs/benchmark.md, "The volume profile"): a deployment after a
-- year, written set-based, row for row what the server itself writes, in the shapes of the plan
-- check's plan-volume.sql. The dollar-brace names are the sizes VolumeLoad fills in. Statements
-- are separated by lines holding only "-- step: <what>", which VolumeLoad prints as it goes. The
-- replication log's blocks are not here: their hashes chain, so VolumeLoad computes them in Java
-- and streams them (step "replication log").
-- Loaded as a replica applies rows (no foreign-key checks, no capture or usage triggers: the data
-- is consistent by construction); the kept totals are added at the end from what was loaded.

-- step: accounts, tenants, keys
SET session_replication_role = replica;
-- ${accounts} accounts, each with its account tenant (tenant id = account id), and
-- ${projects} project tenants whose token is sov_proj_volume-<n>; ids far above the sequences. The
-- first account is the heavy tenant: the long replication log, half of the ledger.
INSERT INTO account (id, name, credits, credits_milli, created_at)
SELECT 10000000 + i, 'volume-account-' || i, 1000000, 0, now() - (${accounts} + 1 - i) * interval '1 hour'
FROM generate_series(1, ${accounts}) i;
INSERT INTO tenant (id, kind, token_hash, account_id, created_at)
SELECT 10000000 + i, 'account', NULL, 10000000 + i, now() - (${accounts} + 1 - i) * interval '1 hour'
FROM generate_series(1, ${accounts}) i;
INSERT INTO tenant (id, kind, token_hash, account_id, created_at)
SELECT 20000000 + i, 'project', encode(sha256(convert_to('sov_proj_volume-' || i, 'UTF8')), 'hex'), NULL,
       now() - (${projects} + 1 - i) * interval '1 minute'
FROM generate_series(1, ${projects}) i;
-- Two keys per account, every tenth one revoked; key n is sov_live_volume<n> (the first account's
-- first key reads the heavy tenant's log).
INSERT INTO api_key (id, account_id, key_hash, key_prefix, name, scopes, created_at, last_used_at, revoked_at)
SELECT 10000000 + i, 10000000 + (i + 1) / 2, encode(sha256(convert_to('sov_live_volume' || i, 'UTF8')), 'hex'),
       left('sov_live_volume' || i, 13), 'key ' || i, 'read,write', now() - interval '30 days',
       now() - (i % 100) * interval '1 minute', CASE WHEN i % 10 = 0 THEN now() END
FROM generate_series(1, 2 * ${accounts}) i;

-- step: ledger and audit entries
-- ${ledger} ledger entries: the first account is a heavy payer with half of them.
INSERT INTO credit_ledger (id, account_id, tenant_id, delta_milli, reason, request_id, credits_after,
                           credits_milli_after, created_at)
SELECT 10000000 + i, a, a, -250, 'replicate', md5('volume-ledger-' || i)::uuid::text, 1000000 - i / 4,
       (i * 750) % 1000, now() - (${ledger} + 1 - i) * interval '1 second'
FROM generate_series(1, ${ledger}) i,
     LATERAL (SELECT 10000000 + CASE WHEN i <= ${ledger} / 2 THEN 1 ELSE 1 + i % ${accounts} END AS a) x;
-- ${audit} operator actions of five operators (the identity column numbers them).
INSERT INTO operator_audit (at, actor, action, target, outcome, detail)
SELECT now() - (${audit} + 1 - i) * interval '1 second', 'operator-' || i % 5,
       (ARRAY['tenant.create', 'key.issue', 'key.revoke', 'credits.add', 'rowsync.write'])[1 + i % 5],
       'tenant ' || (10000001 + i % ${accounts}), CASE WHEN i % 100 = 0 THEN 'failed' ELSE 'ok' END, ''
FROM generate_series(1, ${audit}) i;

-- step: agent snapshots
-- Every tenant's agent "agent" has a lineage of ${snapshotsPerTenant} confirmed snapshots of 64 bytes.
INSERT INTO agent_state_snapshots (id, tenant_id, agent_id, sequence_number, parent_snapshot, policy_hash,
                                   client_payload_hash, byte_size, cost_milli, status, storage_key, ciphertext,
                                   "timestamp", created_at, confirmed_at)
SELECT md5('volume-snapshot:' || t || ':' || s)::uuid::text, t, 'agent', s,
       CASE WHEN s > 0 THEN md5('volume-snapshot:' || t || ':' || (s - 1))::uuid::text END,
       repeat('0', 64), encode(sha256(c), 'hex'), 64, 0, 'confirmed', 'agent/' || t || '/' || s, c,
       to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), now(), now()
FROM (SELECT id AS t FROM tenant WHERE id BETWEEN 10000001 AND 30000000) x,
     generate_series(0, ${snapshotsPerTenant} - 1) s,
     LATERAL (SELECT sha256(convert_to('a' || t || ':' || s, 'UTF8')) || sha256(convert_to('b' || t || ':' || s, 'UTF8')) AS c) y;

-- step: row-sync users, scopes and sources
-- ${users} row-sync users volume-user-<n>; the first ${heavyUsers} are heavy (${heavyRows} rows
-- each), the others hold ${userRows}; every bundle inserts ${bundleRows} rows, all retained.
INSERT INTO sync.user_state (user_id, next_bundle_seq, retained_bundle_floor)
SELECT 'volume-user-' || i, CASE WHEN i <= ${heavyUsers} THEN ${heavyRows} ELSE ${userRows} END / ${bundleRows} + 1, 0
FROM generate_series(1, ${users}) i ORDER BY i;
INSERT INTO sync.scope_state (user_pk, state_code, initialized_at, initialized_by_source_id)
SELECT user_pk, 2, now() - interval '300 days', 'device-1' FROM sync.user_state WHERE user_id LIKE 'volume-user-%';
INSERT INTO sync.source_state (user_pk, source_id, state, max_committed_source_bundle_id)
SELECT user_pk, 'device-1', 'active', next_bundle_seq - 1 FROM sync.user_state WHERE user_id LIKE 'volume-user-%';

-- The k-th row (from 1) of a loaded user: its key, and its payload exactly as the capture trigger
-- takes it (to_jsonb of the row without _sync_scope_id) after the commit's canonical JSON (Go's
-- encoding/json: keys sorted, no spaces). Bundle b holds rows (b-1)*${bundleRows}+1 .. b*${bundleRows}.
CREATE FUNCTION pg_temp.volume_key(user_id TEXT, k BIGINT) RETURNS uuid LANGUAGE sql IMMUTABLE
    AS $$ SELECT md5(user_id || ':' || k)::uuid $$;
CREATE FUNCTION pg_temp.volume_payload(user_id TEXT, k BIGINT, created_at TEXT) RETURNS TEXT LANGUAGE sql IMMUTABLE
    AS $$ SELECT '{"active":true,"age":' || k % 90 || ',"created_at":"' || created_at || '","email":"v' || k
                 || '@volume.example","id":"' || pg_temp.volume_key(user_id, k) || '","team_id":null}' $$;

-- step: business rows
INSERT INTO demo.users (_sync_scope_id, id, email, age)
SELECT u.user_id, pg_temp.volume_key(u.user_id, k), 'v' || k || '@volume.example', k % 90
FROM sync.user_state u, LATERAL generate_series(1, (u.next_bundle_seq - 1) * ${bundleRows}) k
WHERE u.user_id LIKE 'volume-user-%';

-- step: row states
INSERT INTO sync.row_state (user_pk, table_id, key_bytes, bundle_seq, deleted)
SELECT u.user_pk, ${usersTableId}, uuid_send(pg_temp.volume_key(u.user_id, k)), (k + ${bundleRows} - 1) / ${bundleRows}, FALSE
FROM sync.user_state u, LATERAL generate_series(1, (u.next_bundle_seq - 1) * ${bundleRows}) k
WHERE u.user_id LIKE 'volume-user-%';

-- step: bundle rows
INSERT INTO sync.bundle_rows (user_pk, bundle_seq, row_ordinal, table_id, key_bytes, op_code, payload_wire)
SELECT u.user_pk, (k + ${bundleRows} - 1) / ${bundleRows}, (k - 1) % ${bundleRows} + 1, ${usersTableId},
       uuid_send(pg_temp.volume_key(u.user_id, k)), 1, pg_temp.volume_payload(u.user_id, k, '${createdAt}')::json
FROM sync.user_state u, LATERAL generate_series(1, (u.next_bundle_seq - 1) * ${bundleRows}) k
WHERE u.user_id LIKE 'volume-user-%';

-- step: bundle log
-- The bundle hash over the canonical logicalRows of §11.2 (row_ordinal from 0, row_version the
-- bundle's number), as BundleFinalizer computes it; byte_count is that text's length.
INSERT INTO sync.bundle_log (user_pk, bundle_seq, source_id, source_bundle_id, row_count, byte_count, bundle_hash,
                             committed_at)
SELECT u.user_pk, b, 'device-1', b, ${bundleRows}, octet_length(h.logical), sha256(convert_to(h.logical, 'UTF8')),
       now() - (u.next_bundle_seq - b) * interval '1 minute'
FROM sync.user_state u, LATERAL generate_series(1, u.next_bundle_seq - 1) b,
     LATERAL (SELECT '[' || string_agg('{"key":{"id":"' || pg_temp.volume_key(u.user_id, k) || '"},"op":"INSERT","payload":'
                                       || pg_temp.volume_payload(u.user_id, k, '${createdAt}') || ',"row_ordinal":' || o
                                       || ',"row_version":' || b || ',"schema":"demo","table":"users"}', ',' ORDER BY o) || ']'
              FROM generate_series(0, ${bundleRows} - 1) o, LATERAL (SELECT (b - 1) * ${bundleRows} + o + 1 AS k) kk) h(logical)
WHERE u.user_id LIKE 'volume-user-%';

-- step: replication log
-- (VolumeLoad: every tenant's blocks, hashed and chained in Java, in one binary COPY.)

-- step: kept totals
SET session_replication_role = DEFAULT;
-- What the usage triggers (migration V4, sync-volume.sql) would have added for these rows.
INSERT INTO usage_total AS t (name, shard, value)
SELECT name, shard, value FROM (
    SELECT 'tenant.' || kind || '.rows' AS name, (id % 64)::smallint AS shard, count(*) AS value
    FROM tenant WHERE id BETWEEN 10000001 AND 30000000 GROUP BY 1, 2
    UNION ALL
    SELECT 'agent_state_snapshots.rows', (tenant_id % 64)::smallint, count(*)
    FROM agent_state_snapshots WHERE tenant_id BETWEEN 10000001 AND 30000000 GROUP BY 2
    UNION ALL
    SELECT 'replication_log.' || v.suffix, x.shard, v.value
    FROM (SELECT (tenant_id % 64)::smallint AS shard, count(*) AS n, sum(byte_size) AS b
          FROM replication_log WHERE tenant_id BETWEEN 10000001 AND 30000000 GROUP BY 1) x
    CROSS JOIN LATERAL (VALUES ('rows', x.n), ('bytes', x.b)) AS v(suffix, value)
    UNION ALL
    SELECT 'sync.user_state.rows', (user_pk % 64)::smallint, count(*)
    FROM sync.user_state WHERE user_id LIKE 'volume-user-%' GROUP BY 2
    UNION ALL
    SELECT 'sync.bundle_log.' || v.suffix, x.shard, v.value
    FROM (SELECT (b.user_pk % 64)::smallint AS shard, count(*) AS n, sum(b.byte_count) AS b
          FROM sync.bundle_log b JOIN sync.user_state u USING (user_pk)
          WHERE u.user_id LIKE 'volume-user-%' GROUP BY 1) x
    CROSS JOIN LATERAL (VALUES ('rows', x.n), ('bytes', x.b)) AS v(suffix, value)
) added
ON CONFLICT (name, shard) DO UPDATE SET value = t.value + EXCLUDED.value;
-- What the per-tenant log totals' trigger (migration V4) would have added.
INSERT INTO replication_log_total (tenant_id, blocks, bytes)
SELECT tenant_id, count(*), sum(byte_size) FROM replication_log
WHERE tenant_id BETWEEN 10000001 AND 30000000 GROUP BY tenant_id;
