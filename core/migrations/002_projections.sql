-- Projections: read models folded from the log. Each projection has numbered generations,
-- each a table of its own (arrakis.proj_<name>_g<generation>) with its own checkpoint, so a
-- rebuild fills the next generation while the active one keeps serving, then swaps the view
-- arrakis.proj_<name> over to it.
CREATE TABLE arrakis.projections (
  name               text PRIMARY KEY,
  active_generation  int NOT NULL,
  building_generation int
);

CREATE TABLE arrakis.projection_checkpoints (
  name            text NOT NULL,
  generation      int NOT NULL,
  code_version    int NOT NULL,
  -- (transaction_id, position) of the last event applied, as read by readAfter.
  transaction_id  xid8 NOT NULL DEFAULT '0',
  position        bigint NOT NULL DEFAULT 0,
  -- The lease: one projector process owns a slot at a time; the checkpoint update is a
  -- compare-and-set on (owner, transaction_id, position), which fences a process whose lease lapsed.
  owner           text,
  lease_until     timestamptz,
  status          text NOT NULL DEFAULT 'starting',
  last_error      text,
  updated_at      timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, generation)
);

-- Events a projection could not apply: isolated from their batch, recorded here in the same
-- transaction that moves the checkpoint past them, and applied again on demand once fixed.
CREATE TABLE arrakis.projection_parked (
  id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name               text NOT NULL,
  generation         int NOT NULL,
  position           bigint NOT NULL,
  event_type         text NOT NULL,
  error              text NOT NULL,
  parked_at          timestamptz NOT NULL DEFAULT now(),
  retry_requested_at timestamptz,
  resolved_at        timestamptz,
  UNIQUE (name, generation, position)
);

CREATE INDEX projection_parked_open ON arrakis.projection_parked (name, generation) WHERE resolved_at IS NULL;
