-- The plan check's database (HotStatementPlansIT): a mid-sized deployment written set-based, row for
-- row what the server itself writes, with a heavy tenant, account and user (each about a tenth of
-- its tables, as the heaviest are in a real deployment) next to many small ones. Big enough that
-- PostgreSQL's planner prefers an index wherever one matches, small enough to load in seconds. The
-- named keys (tenant 2001, account 1, user-1, ...) are the ones the checks bind.
-- Loaded as a replica applies rows (no foreign-key checks, no row-sync triggers: the data is
-- consistent by construction), except that the kept totals' triggers fire (PlanDatabase enables
-- them ALWAYS for the load), so that usage_total counts what is here.
SET session_replication_role = replica;

-- 2,000 accounts, each with its account tenant (tenant id = account id); 8,000 project tenants.
INSERT INTO account (id, name, credits, credits_milli, created_at)
SELECT i, 'account-' || i, 1000000, 0, now() - (2001 - i) * interval '1 hour'
FROM generate_series(1, 2000) i;
INSERT INTO tenant (id, kind, token_hash, account_id, created_at)
SELECT i, 'account', NULL, i, now() - (2001 - i) * interval '1 hour' FROM generate_series(1, 2000) i;
INSERT INTO tenant (id, kind, token_hash, account_id, created_at)
SELECT i, 'project', encode(sha256(convert_to('project-' || i, 'UTF8')), 'hex'), NULL, now()
FROM generate_series(2001, 10000) i;
SELECT setval('account_seq', 2050), setval('tenant_seq', 10050);

-- Two live keys per account, every tenth one revoked.
INSERT INTO api_key (id, account_id, key_hash, key_prefix, name, scopes, created_at, last_used_at, revoked_at)
SELECT i, (i + 1) / 2, encode(sha256(convert_to('key-' || i, 'UTF8')), 'hex'), 'sov_live_' || left(md5(i::text), 6),
       'key ' || i, 'read,write', now() - interval '30 days', now() - (i % 100) * interval '1 minute',
       CASE WHEN i % 10 = 0 THEN now() END
FROM generate_series(1, 4000) i;
SELECT setval('api_key_seq', 4050);

-- 100,000 ledger entries: account 1 is a heavy payer with half of them.
INSERT INTO credit_ledger (id, account_id, tenant_id, delta_milli, reason, request_id, credits_after,
                           credits_milli_after, created_at)
SELECT i, a, a, -250, 'replicate', md5('ledger-' || i)::uuid::text, 1000000 - i / 4, (i * 750) % 1000,
       now() - (100001 - i) * interval '1 second'
FROM generate_series(1, 100000) i, LATERAL (SELECT CASE WHEN i <= 50000 THEN 1 ELSE 2 + i % 1999 END AS a) x;
SELECT setval('credit_ledger_seq', 100050);

-- Replication logs: project tenant 2001 holds 20,000 blocks, 6,000 more tenants 30 each.
INSERT INTO replication_log (tenant_id, sequence_number, block_hash, merkle_root, ciphertext, byte_size, created_at)
SELECT t, s, md5('b' || t || ':' || s) || md5('c' || t || ':' || s), md5('m' || t || ':' || s) || md5('n' || t || ':' || s),
       decode(md5('x' || t || ':' || s) || md5('y' || t || ':' || s), 'hex'), 32,
       now() - (60000 - s) * interval '1 second'
FROM (SELECT 2001 AS t, s FROM generate_series(0, 19999) s
      UNION ALL SELECT t, s FROM generate_series(2002, 8001) t, generate_series(0, 29) s) x;

-- Agent snapshots: tenant 2001's agent "heavy" has a lineage of 5,000; 7,000 tenants six each.
INSERT INTO agent_state_snapshots (id, tenant_id, agent_id, sequence_number, parent_snapshot, policy_hash,
                                   client_payload_hash, byte_size, cost_milli, status, storage_key, ciphertext,
                                   "timestamp", created_at, confirmed_at)
SELECT md5('snap' || t || a || s)::uuid::text, t, a, s, CASE WHEN s = 0 THEN NULL ELSE 'parent' END,
       repeat('0', 64), repeat('ab', 32), 64, 0, CASE WHEN s % 50 = 49 THEN 'pending' ELSE 'confirmed' END,
       'k/' || t || '/' || a || '/' || s, '\x00'::bytea, '2026-11-23T12:00:00.000Z', now(), now()
FROM (SELECT 2001 AS t, 'heavy' AS a, s FROM generate_series(0, 4999) s
      UNION ALL SELECT t, 'agent', s FROM generate_series(2002, 9001) t, generate_series(0, 5) s) x;

-- 50,000 audit entries of five operators.
INSERT INTO operator_audit (at, actor, action, target, outcome, detail)
SELECT now() - (50001 - i) * interval '1 minute', 'operator-' || i % 5,
       (ARRAY['tenant.create', 'key.issue', 'key.revoke', 'credits.add', 'rowsync.write'])[1 + i % 5],
       'tenant ' || (1 + i % 2000), CASE WHEN i % 100 = 0 THEN 'failed' ELSE 'ok' END, ''
FROM generate_series(1, 50000) i;

-- Row sync: 10,000 initialized users; user-1 is heavy (10,000 bundles of 5 rows over 10,000 rows,
-- 40 retired sources), the others have 10 bundles of 2 rows over 10 rows.
INSERT INTO sync.user_state (user_id, next_bundle_seq, retained_bundle_floor)
SELECT 'user-' || i, CASE WHEN i = 1 THEN 10001 ELSE 11 END, 0 FROM generate_series(1, 10000) i ORDER BY i;
INSERT INTO sync.scope_state (user_pk, state_code, initialized_at, initialized_by_source_id)
SELECT user_pk, 2, now(), 'src-1' FROM sync.user_state;
INSERT INTO sync.source_state (user_pk, source_id, state, max_committed_source_bundle_id)
SELECT user_pk, 'src-1', 'active', next_bundle_seq - 1 FROM sync.user_state;
INSERT INTO sync.source_state (user_pk, source_id, state, replaced_by_source_id, retirement_reason)
SELECT u.user_pk, 'old-' || s, 'retired', 'src-1', 'source_replaced'
FROM sync.user_state u, generate_series(1, 40) s WHERE u.user_id = 'user-1';

CREATE TEMPORARY TABLE plan_rows AS
SELECT u.user_pk, u.user_id, k, md5(u.user_id || ':' || k)::uuid AS id,
       k AS bundle_seq, u.next_bundle_seq - 1 AS n
FROM sync.user_state u, LATERAL generate_series(1, CASE WHEN u.user_id = 'user-1' THEN 10000 ELSE 10 END) k;

INSERT INTO demo.users (_sync_scope_id, id, email, age)
SELECT user_id, id, 'u' || k || '@example.com', k % 90 FROM plan_rows;
INSERT INTO sync.row_state (user_pk, table_id, key_bytes, bundle_seq, deleted)
SELECT user_pk, (SELECT table_id FROM sync.table_catalog WHERE table_name = 'users'), uuid_send(id), bundle_seq, FALSE
FROM plan_rows;

INSERT INTO sync.bundle_log (user_pk, bundle_seq, source_id, source_bundle_id, row_count, byte_count, bundle_hash,
                             committed_at)
SELECT user_pk, bundle_seq, 'src-1', bundle_seq, CASE WHEN user_id = 'user-1' THEN 5 ELSE 2 END, 120,
       sha256(convert_to(user_id || ':' || bundle_seq, 'UTF8')), now() - (10001 - bundle_seq) * interval '1 second'
FROM plan_rows;
INSERT INTO sync.bundle_rows (user_pk, bundle_seq, row_ordinal, table_id, key_bytes, op_code, payload_wire)
SELECT r.user_pk, r.bundle_seq, o, (SELECT table_id FROM sync.table_catalog WHERE table_name = 'users'),
       uuid_send(md5(r.user_id || ':' || ((r.k + o - 2) % r.n + 1))::uuid), 2,
       json_build_object('id', r.id, 'email', 'u' || r.k || '@example.com', 'age', r.k % 90)
FROM plan_rows r, generate_series(1, CASE WHEN r.user_id = 'user-1' THEN 5 ELSE 2 END) o;

-- Open sessions: 1,000 push sessions of 30 staged rows (user-1's has 2,000), half expired; 5,000
-- snapshot sessions of 10 rows (user-1's has its 10,000); and the captures of 200 pushes of 100
-- rows being committed at this moment (of other transactions: a plan must find its own by index).
INSERT INTO sync.push_sessions (push_id, user_pk, source_id, source_bundle_id, planned_row_count,
                                next_expected_row_ordinal, expires_at)
SELECT md5('push' || user_pk)::uuid, user_pk, 'src-1', next_bundle_seq,
       CASE WHEN user_id = 'user-1' THEN 2000 ELSE 30 END, CASE WHEN user_id = 'user-1' THEN 2000 ELSE 30 END,
       now() + CASE WHEN user_pk % 2 = 0 THEN interval '-1 hour' ELSE interval '1 hour' END
FROM sync.user_state WHERE user_pk <= 1000;
INSERT INTO sync.push_session_rows (push_id, row_ordinal, table_id, key_bytes, op_code, base_bundle_seq, payload_apply)
SELECT p.push_id, o, (SELECT table_id FROM sync.table_catalog WHERE table_name = 'users'),
       uuid_send(md5((SELECT user_id FROM sync.user_state u WHERE u.user_pk = p.user_pk) || ':' || (o % 10 + 1))::uuid),
       2, 0, '{"age": 1}'
FROM sync.push_sessions p, LATERAL generate_series(0, p.planned_row_count - 1) o;
INSERT INTO sync.snapshot_sessions (snapshot_id, user_pk, snapshot_bundle_seq, row_count, byte_count, expires_at)
SELECT md5('snapshot' || user_pk)::uuid, user_pk, next_bundle_seq - 1, 0, 0, now() + interval '1 hour'
FROM sync.user_state WHERE user_pk <= 5000;
INSERT INTO sync.snapshot_session_rows (snapshot_id, row_ordinal, table_id, key_bytes, bundle_seq, payload_wire)
SELECT s.snapshot_id, row_number() OVER (PARTITION BY s.snapshot_id ORDER BY uuid_send(r.id)), 
       (SELECT table_id FROM sync.table_catalog WHERE table_name = 'users'), uuid_send(r.id), r.bundle_seq,
       json_build_object('id', r.id, 'age', r.k % 90)
FROM sync.snapshot_sessions s JOIN plan_rows r ON r.user_pk = s.user_pk
WHERE r.user_id = 'user-1' OR r.k <= 10;
INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
SELECT 1000 + u.user_pk, u.user_pk, (SELECT table_id FROM sync.table_catalog WHERE table_name = 'users'), 2,
       uuid_send(md5(u.user_id || ':' || (o % 10 + 1))::uuid), '{"age": 1}'
FROM sync.user_state u, generate_series(1, 100) o WHERE u.user_pk BETWEEN 2 AND 201;

SET session_replication_role = DEFAULT;
