-- Partitioned slots (projections/engine/partitions.ts): a projection whose every document
-- belongs to one session may be folded by K slots at once, slot k taking the sessions whose
-- hash falls to k. Each partition is a checkpoint row of its own, with its own lease and
-- fencing; `partitions` is K, fixed when the generation is created (a new K takes effect
-- with the next rebuild), the same on each of a generation's rows. K = 1 is one row, partition 0,
-- as before.
ALTER TABLE arrakis.projection_checkpoints
  ADD COLUMN partition int NOT NULL DEFAULT 0,
  ADD COLUMN partitions int NOT NULL DEFAULT 1;
ALTER TABLE arrakis.projection_checkpoints
  DROP CONSTRAINT projection_checkpoints_pkey,
  ADD PRIMARY KEY (name, generation, partition);

-- A parked event belongs to the partition that parked it: only that one applies it on retry.
ALTER TABLE arrakis.projection_parked ADD COLUMN partition int NOT NULL DEFAULT 0;

-- The projector processes running partitioned projections, each renewing its row as it does
-- its leases: the partitions of a generation are dealt round-robin among the live ones that
-- run the projection, so K processes fold it in parallel instead of the first taking all.
-- A process that dies drops out when its row lapses, as its leases do, and the others take
-- its partitions over.
CREATE TABLE arrakis.projector_processes (
  owner        text PRIMARY KEY,
  projections  text[] NOT NULL,
  alive_until  timestamptz NOT NULL
);
