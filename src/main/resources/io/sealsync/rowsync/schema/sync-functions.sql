-- Trigger functions of rowsync.md §18.2, (re)installed at every start. They keep the reference's
-- interface and behaviour, so that one database can be written by this server and by reference
-- tooling: the capture trigger's arguments are (key column, numeric key kind, table id), the kind
-- being sync.table_catalog.sync_key_kind (1 uuid, 2 text); key_bytes (§17.4) are a uuid's 16 raw
-- bytes or a text key's UTF-8 bytes. The error messages are the reference's, word for word, since
-- tools and tests match on them.
CREATE OR REPLACE FUNCTION sync.enforce_registered_row_owner() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    actor TEXT := NULLIF(current_setting('oversync.bundle_user_id', true), '');
BEGIN
    IF actor IS NULL THEN
        PERFORM nextval('sync.rejected_registered_write_seq');
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(
            'write to registered table %I.%I requires oversync sync bundle context',
            TG_TABLE_SCHEMA, TG_TABLE_NAME);
    END IF;
    CASE TG_OP
    WHEN 'INSERT' THEN
        IF coalesce(NEW._sync_scope_id, '') = '' THEN
            NEW._sync_scope_id := actor;
        ELSIF NEW._sync_scope_id <> actor THEN
            RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(
                'scope mismatch on registered table %I.%I: actor %s cannot write owner %s',
                TG_TABLE_SCHEMA, TG_TABLE_NAME, actor, NEW._sync_scope_id);
        END IF;
        RETURN NEW;
    WHEN 'UPDATE' THEN
        IF OLD._sync_scope_id <> actor THEN
            RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(
                'scope mismatch on registered table %I.%I: actor %s cannot update owner %s',
                TG_TABLE_SCHEMA, TG_TABLE_NAME, actor, OLD._sync_scope_id);
        END IF;
        IF NEW._sync_scope_id IS DISTINCT FROM OLD._sync_scope_id THEN
            RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(
                'scope mutation is not allowed on registered table %I.%I',
                TG_TABLE_SCHEMA, TG_TABLE_NAME);
        END IF;
        RETURN NEW;
    ELSE
        IF OLD._sync_scope_id <> actor THEN
            RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(
                'scope mismatch on registered table %I.%I: actor %s cannot delete owner %s',
                TG_TABLE_SCHEMA, TG_TABLE_NAME, actor, OLD._sync_scope_id);
        END IF;
        RETURN OLD;
    END CASE;
END
$fn$;

CREATE OR REPLACE FUNCTION sync.capture_registered_row_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    actor      TEXT := NULLIF(current_setting('oversync.bundle_user_id', true), '');
    actor_pk   TEXT := NULLIF(current_setting('oversync.bundle_user_pk', true), '');
    key_column TEXT := NULLIF(TG_ARGV[0], '');
    kind_arg   TEXT := NULLIF(TG_ARGV[1], '');
    table_arg  TEXT := NULLIF(TG_ARGV[2], '');
    kind       SMALLINT;
    tbl        INTEGER;
    old_key    BYTEA;
    new_key    BYTEA;
BEGIN
    IF actor IS NULL THEN
        PERFORM nextval('sync.rejected_registered_write_seq');
        RAISE EXCEPTION USING ERRCODE = 'P0001', MESSAGE = format(
            'write to registered table %I.%I requires oversync sync bundle context',
            TG_TABLE_SCHEMA, TG_TABLE_NAME);
    END IF;
    IF actor_pk IS NULL THEN
        RAISE EXCEPTION 'oversync bundle context is missing user_pk for %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME;
    END IF;
    IF key_column IS NULL THEN
        RAISE EXCEPTION 'oversync capture trigger is missing sync key column for %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME;
    END IF;
    IF kind_arg IS NULL OR table_arg IS NULL THEN
        RAISE EXCEPTION 'oversync capture trigger is missing compact metadata for %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME;
    END IF;
    kind := kind_arg::smallint;
    tbl := table_arg::integer;

    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        IF OLD._sync_scope_id <> actor THEN
            RAISE EXCEPTION 'oversync capture scope mismatch for %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME;
        END IF;
        old_key := CASE WHEN kind = 1 THEN uuid_send((to_jsonb(OLD) ->> key_column)::uuid)
                        ELSE convert_to(to_jsonb(OLD) ->> key_column, 'UTF8') END;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        IF NEW._sync_scope_id <> actor THEN
            RAISE EXCEPTION 'oversync capture scope mismatch for %.%', TG_TABLE_SCHEMA, TG_TABLE_NAME;
        END IF;
        new_key := CASE WHEN kind = 1 THEN uuid_send((to_jsonb(NEW) ->> key_column)::uuid)
                        ELSE convert_to(to_jsonb(NEW) ->> key_column, 'UTF8') END;
    END IF;

    -- A delete, or the old half of an update that moves the key (§18.2): op 3 for the old key.
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND old_key IS DISTINCT FROM new_key) THEN
        INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
        VALUES (txid_current(), actor_pk::bigint, tbl, 3, old_key, NULL);
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
    VALUES (txid_current(), actor_pk::bigint, tbl,
            CASE WHEN TG_OP = 'INSERT' OR old_key IS DISTINCT FROM new_key THEN 1 ELSE 2 END,
            new_key, to_jsonb(NEW) - '_sync_scope_id');
    RETURN NEW;
END
$fn$;
