-- One linear, append-only log of encrypted blocks per tenant (agent-state.md §5-§8).
CREATE TABLE replication_log (
    tenant_id       BIGINT      NOT NULL REFERENCES tenant (id),
    sequence_number BIGINT      NOT NULL CHECK (sequence_number >= 0),
    block_hash      CHAR(64)    NOT NULL,
    merkle_root     CHAR(64)    NOT NULL,
    ciphertext      BYTEA       NOT NULL,
    byte_size       INTEGER     NOT NULL CHECK (byte_size BETWEEN 0 AND 262144),
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    -- The primary key serves head (backwards), replay (forwards) and classification lookups.
    PRIMARY KEY (tenant_id, sequence_number)
);
