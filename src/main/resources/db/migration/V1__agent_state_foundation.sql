-- Accounts pay for live-key traffic; each account owns exactly one tenant.
CREATE SEQUENCE account_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE account (
    id            BIGINT PRIMARY KEY,
    name          TEXT        NOT NULL,
    credits       BIGINT      NOT NULL DEFAULT 0 CHECK (credits >= 0),
    credits_milli SMALLINT    NOT NULL DEFAULT 0 CHECK (credits_milli BETWEEN 0 AND 999),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX account_name_ci ON account (lower(name));

-- A tenant is one isolated namespace: a project token (keyed by the token's SHA-256) or an account.
CREATE SEQUENCE tenant_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE tenant (
    id         BIGINT PRIMARY KEY,
    kind       TEXT        NOT NULL CHECK (kind IN ('project', 'account')),
    token_hash CHAR(64) UNIQUE,
    account_id BIGINT UNIQUE REFERENCES account (id),
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CHECK ((kind = 'project' AND token_hash IS NOT NULL AND account_id IS NULL)
        OR (kind = 'account' AND account_id IS NOT NULL AND token_hash IS NULL))
);

-- Live API keys: only the SHA-256 of the whole token is kept.
CREATE SEQUENCE api_key_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE api_key (
    id           BIGINT PRIMARY KEY,
    account_id   BIGINT      NOT NULL REFERENCES account (id),
    key_hash     CHAR(64)    NOT NULL UNIQUE,
    key_prefix   TEXT        NOT NULL,
    name         TEXT        NOT NULL,
    scopes       TEXT        NOT NULL DEFAULT 'read,write',
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    expires_at   TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_key_account ON api_key (account_id);

-- Append-only: every change of an account's balance, in milli-cents.
CREATE SEQUENCE credit_ledger_seq START WITH 50 INCREMENT BY 50;
CREATE TABLE credit_ledger (
    id                  BIGINT PRIMARY KEY,
    account_id          BIGINT      NOT NULL REFERENCES account (id),
    tenant_id           BIGINT REFERENCES tenant (id),
    delta_milli         BIGINT      NOT NULL,
    reason              TEXT        NOT NULL,
    request_id          VARCHAR(36) NOT NULL,
    credits_after       BIGINT      NOT NULL,
    credits_milli_after SMALLINT    NOT NULL,
    created_at          TIMESTAMPTZ NOT NULL DEFAULT now(),
    UNIQUE (request_id, reason)
);
CREATE INDEX credit_ledger_account ON credit_ledger (account_id, id DESC);

CREATE TABLE agent_state_snapshots (
    id                  VARCHAR(36) PRIMARY KEY,
    tenant_id           BIGINT       NOT NULL REFERENCES tenant (id),
    agent_id            VARCHAR(128) NOT NULL,
    sequence_number     BIGINT       NOT NULL CHECK (sequence_number >= 0),
    parent_snapshot     TEXT,
    policy_hash         VARCHAR(64)  NOT NULL,
    client_payload_hash VARCHAR(64)  NOT NULL,
    byte_size           INTEGER      NOT NULL CHECK (byte_size BETWEEN 1 AND 262144),
    cost_milli          INTEGER      NOT NULL CHECK (cost_milli >= 0),
    status              TEXT         NOT NULL CHECK (status IN ('pending', 'confirmed', 'failed')),
    storage_key         TEXT         NOT NULL,
    ciphertext          BYTEA        NOT NULL,
    "timestamp"         TEXT,
    created_at          TIMESTAMPTZ  NOT NULL DEFAULT now(),
    confirmed_at        TIMESTAMPTZ,
    CONSTRAINT agent_state_snapshots_tenant_agent_seq UNIQUE (tenant_id, agent_id, sequence_number),
    CONSTRAINT agent_state_snapshots_genesis CHECK (
        (sequence_number = 0 AND parent_snapshot IS NULL)
        OR (sequence_number > 0 AND parent_snapshot IS NOT NULL))
);
-- Latest-first reads of one lineage (restore latest, lineage pages) use the unique index backwards;
-- this one serves the confirmed-only reads without touching other rows.
CREATE INDEX agent_state_snapshots_confirmed
    ON agent_state_snapshots (tenant_id, agent_id, sequence_number DESC) WHERE status = 'confirmed';

-- Server-held secrets (URL signing key, receipt signing key), generated on first start.
CREATE TABLE server_secret (
    name       TEXT PRIMARY KEY,
    secret     BYTEA       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
