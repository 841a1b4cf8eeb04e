-- How far each projection's admin requests (arrakis.rebuild_requested events) have been acted
-- on, read with the same (transaction_id, position) order and xmin rule as readAfter. One row
-- per projection, so that a projector acts only on the projections it runs and leaves the
-- others' requests to the projectors that run them.
--
-- A row starts at the head of the log: (the xid of the transaction creating it, 0). A request
-- is an instruction for the projector running when it is made, not part of the history to
-- replay: a database filled from an older log, or restored, must not rebuild once for every
-- request that log ever held.
CREATE TABLE arrakis.projection_control (
  name            text PRIMARY KEY,
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  position        bigint NOT NULL DEFAULT 0,
  updated_at      timestamptz NOT NULL DEFAULT now()
);

-- Projections registered before this migration start here; projectors add the rows of the
-- others before registering them (projections/engine/control.ts).
INSERT INTO arrakis.projection_control (name) SELECT name FROM arrakis.projections;

-- Projectors look for new requests on every pass: this keeps that a lookup of a handful of
-- rows, however long the log.
CREATE INDEX events_rebuild_requests ON arrakis.events (transaction_id, position)
  WHERE type = 'arrakis.rebuild_requested';
