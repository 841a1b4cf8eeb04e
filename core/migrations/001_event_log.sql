-- The immutable event log: every hook event and transcript line, appended once.
CREATE TABLE arrakis.events (
  position        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  -- Readers order by (transaction_id, position) and read only below the snapshot's xmin,
  -- so an event whose transaction commits late is never skipped.
  transaction_id  xid8 NOT NULL DEFAULT pg_current_xact_id(),
  request_id      text NOT NULL CONSTRAINT events_request_id_key UNIQUE
                  CONSTRAINT events_request_id_length CHECK (length(request_id) BETWEEN 8 AND 128),
  content_hash    bytea NOT NULL,
  type            text NOT NULL,
  session_id      text NOT NULL,
  captured_at     timestamptz NOT NULL,
  received_at     timestamptz NOT NULL,
  client          jsonb,
  payload         jsonb NOT NULL,
  -- The exact JSON text, kept only when payload held characters jsonb cannot (NUL, lone surrogates).
  payload_json    text
);

-- lz4 compresses tool output several times faster than the default pglz; servers built
-- without lz4 keep pglz.
DO $$
BEGIN
  ALTER TABLE arrakis.events ALTER COLUMN payload SET COMPRESSION lz4;
  ALTER TABLE arrakis.events ALTER COLUMN payload_json SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR invalid_parameter_value THEN
  RAISE NOTICE 'lz4 is not available; payloads use pglz';
END
$$;

CREATE INDEX events_transaction_position ON arrakis.events (transaction_id, position);
CREATE INDEX events_session_position ON arrakis.events (session_id, position);
CREATE INDEX events_type_position ON arrakis.events (type, position);

CREATE FUNCTION arrakis.reject_event_mutation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'arrakis.events is append-only: % is not allowed', TG_OP
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Events are immutable; rebuild projections from the log instead.';
END
$$;

CREATE TRIGGER events_no_update_or_delete
  BEFORE UPDATE OR DELETE ON arrakis.events
  FOR EACH ROW EXECUTE FUNCTION arrakis.reject_event_mutation();

CREATE TRIGGER events_no_truncate
  BEFORE TRUNCATE ON arrakis.events
  FOR EACH STATEMENT EXECUTE FUNCTION arrakis.reject_event_mutation();

-- ALWAYS: the triggers fire even under session_replication_role = replica.
ALTER TABLE arrakis.events ENABLE ALWAYS TRIGGER events_no_update_or_delete;
ALTER TABLE arrakis.events ENABLE ALWAYS TRIGGER events_no_truncate;
