-- The status page counts the events received in each of the last minutes, and the log
-- inspector filters by received time. received_at is stamped when an event is appended, so
-- it grows with the table's physical order: a BRIN index (min and max per block range) finds
-- the last minutes' blocks while costing the append path next to nothing, unlike a b-tree.
CREATE INDEX events_received_at ON arrakis.events USING brin (received_at) WITH (autosummarize = on);
