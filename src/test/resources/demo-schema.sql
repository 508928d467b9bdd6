-- The demo business schema of the run command and the tests: a team → user → post → file chain
-- of uuid-keyed tables, a text-keyed table and a bytea column. Every registered table carries the
-- owner column _sync_scope_id, leads each unique index with it, and references its parents with
-- deferrable, scope-inclusive foreign keys (README, "Registering your tables").
CREATE SCHEMA IF NOT EXISTS demo;

CREATE TABLE IF NOT EXISTS demo.teams (
    _sync_scope_id TEXT NOT NULL,
    id             UUID NOT NULL,
    name           TEXT NOT NULL,
    PRIMARY KEY (_sync_scope_id, id)
);

CREATE TABLE IF NOT EXISTS demo.users (
    _sync_scope_id TEXT NOT NULL,
    id             UUID NOT NULL,
    team_id        UUID,
    email          TEXT NOT NULL,
    age            INTEGER,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    created_at     TIMESTAMPTZ NOT NULL DEFAULT '2026-01-01T00:00:00Z',
    PRIMARY KEY (_sync_scope_id, id),
    UNIQUE (_sync_scope_id, email),
    FOREIGN KEY (_sync_scope_id, team_id) REFERENCES demo.teams (_sync_scope_id, id)
        ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE IF NOT EXISTS demo.posts (
    _sync_scope_id TEXT NOT NULL,
    id             UUID NOT NULL,
    author_id      UUID NOT NULL,
    title          TEXT NOT NULL,
    score          DOUBLE PRECISION,
    PRIMARY KEY (_sync_scope_id, id),
    FOREIGN KEY (_sync_scope_id, author_id) REFERENCES demo.users (_sync_scope_id, id)
        ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED
);

CREATE TABLE IF NOT EXISTS demo.files (
    _sync_scope_id TEXT NOT NULL,
    id             UUID NOT NULL,
    post_id        UUID NOT NULL,
    name           TEXT NOT NULL,
    content        BYTEA,
    PRIMARY KEY (_sync_scope_id, id),
    FOREIGN KEY (_sync_scope_id, post_id) REFERENCES demo.posts (_sync_scope_id, id)
        ON DELETE CASCADE DEFERRABLE INITIALLY IMMEDIATE
);

CREATE TABLE IF NOT EXISTS demo.tags (
    _sync_scope_id TEXT NOT NULL,
    name           TEXT NOT NULL,
    color          TEXT,
    PRIMARY KEY (_sync_scope_id, name)
);
