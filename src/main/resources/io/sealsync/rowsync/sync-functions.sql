-- Trigger functions of rowsync.md §18.2, (re)installed at every start. key_bytes (§17.4): a uuid
-- key is its 16 raw bytes, a text key its UTF-8 bytes.
CREATE OR REPLACE FUNCTION sync.enforce_registered_row_owner() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    bundle_user TEXT := coalesce(current_setting('oversync.bundle_user_id', true), '');
BEGIN
    IF bundle_user = '' THEN
        PERFORM nextval('sync.rejected_registered_write_seq');
        RAISE EXCEPTION 'write to registered table %.% requires oversync sync bundle context',
            quote_ident(TG_TABLE_SCHEMA), quote_ident(TG_TABLE_NAME) USING ERRCODE = 'P0001';
    END IF;
    IF TG_OP = 'INSERT' THEN
        IF NEW._sync_scope_id IS NULL OR NEW._sync_scope_id = '' THEN
            NEW._sync_scope_id := bundle_user;
        ELSIF NEW._sync_scope_id <> bundle_user THEN
            RAISE EXCEPTION 'scope mismatch on %.%: bundle user % cannot write owner %',
                quote_ident(TG_TABLE_SCHEMA), quote_ident(TG_TABLE_NAME), bundle_user, NEW._sync_scope_id
                USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
    ELSIF TG_OP = 'UPDATE' THEN
        IF OLD._sync_scope_id IS DISTINCT FROM bundle_user THEN
            RAISE EXCEPTION 'scope mismatch on %.%: bundle user % cannot write owner %',
                quote_ident(TG_TABLE_SCHEMA), quote_ident(TG_TABLE_NAME), bundle_user, OLD._sync_scope_id
                USING ERRCODE = 'P0001';
        END IF;
        IF NEW._sync_scope_id IS DISTINCT FROM OLD._sync_scope_id THEN
            RAISE EXCEPTION 'scope mutation is not allowed on %.%',
                quote_ident(TG_TABLE_SCHEMA), quote_ident(TG_TABLE_NAME) USING ERRCODE = 'P0001';
        END IF;
        RETURN NEW;
    ELSE
        IF OLD._sync_scope_id IS DISTINCT FROM bundle_user THEN
            RAISE EXCEPTION 'scope mismatch on %.%: bundle user % cannot write owner %',
                quote_ident(TG_TABLE_SCHEMA), quote_ident(TG_TABLE_NAME), bundle_user, OLD._sync_scope_id
                USING ERRCODE = 'P0001';
        END IF;
        RETURN OLD;
    END IF;
END
$fn$;

CREATE OR REPLACE FUNCTION sync.capture_registered_row_change() RETURNS trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    key_col   TEXT    := TG_ARGV[0];
    key_kind  TEXT    := TG_ARGV[1];
    tbl_id    INTEGER := TG_ARGV[2]::INTEGER;
    user_id   TEXT    := coalesce(current_setting('oversync.bundle_user_id', true), '');
    user_pk_s TEXT    := coalesce(current_setting('oversync.bundle_user_pk', true), '');
    new_key   TEXT;
    old_key   TEXT;
BEGIN
    IF user_id = '' OR user_pk_s = '' THEN
        RAISE EXCEPTION 'capture on %.% requires oversync bundle context',
            quote_ident(TG_TABLE_SCHEMA), quote_ident(TG_TABLE_NAME) USING ERRCODE = 'P0001';
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_key := to_jsonb(NEW) ->> key_col;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_key := to_jsonb(OLD) ->> key_col;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
        VALUES (txid_current(), user_pk_s::BIGINT, tbl_id, 1, CASE WHEN key_kind = 'uuid' THEN uuid_send(new_key::uuid) ELSE convert_to(new_key, 'UTF8') END,
                to_jsonb(NEW) - '_sync_scope_id');
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
        VALUES (txid_current(), user_pk_s::BIGINT, tbl_id, 3, CASE WHEN key_kind = 'uuid' THEN uuid_send(old_key::uuid) ELSE convert_to(old_key, 'UTF8') END, NULL);
    ELSIF new_key IS DISTINCT FROM old_key THEN
        INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
        VALUES (txid_current(), user_pk_s::BIGINT, tbl_id, 3, CASE WHEN key_kind = 'uuid' THEN uuid_send(old_key::uuid) ELSE convert_to(old_key, 'UTF8') END, NULL);
        INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
        VALUES (txid_current(), user_pk_s::BIGINT, tbl_id, 1, CASE WHEN key_kind = 'uuid' THEN uuid_send(new_key::uuid) ELSE convert_to(new_key, 'UTF8') END,
                to_jsonb(NEW) - '_sync_scope_id');
    ELSE
        INSERT INTO sync.bundle_capture_stage (txid, user_pk, table_id, op_code, key_bytes, payload_db)
        VALUES (txid_current(), user_pk_s::BIGINT, tbl_id, 2, CASE WHEN key_kind = 'uuid' THEN uuid_send(new_key::uuid) ELSE convert_to(new_key, 'UTF8') END,
                to_jsonb(NEW) - '_sync_scope_id');
    END IF;
    RETURN NULL;
END
$fn$;
