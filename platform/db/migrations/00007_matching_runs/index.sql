-- Every matching run: the pool it read (with the settings and the coordinator's locks and exclusions),
-- the proposal it made and who asked. A proposal can be recomputed exactly from `pool`; the round's
-- history names the run by id only, so the personal data stays here.
create table matching_runs (
  id uuid primary key default gen_random_uuid(),
  -- The activity attempt's workflow run and activity id: a retried activity finds its run.
  idempotency_key text not null unique,
  program_id text not null references programs (id),
  round_workflow_id text not null,
  requested_by text not null,
  pool jsonb not null,
  proposal jsonb not null,
  created_at timestamptz not null default now()
);
create index matching_runs_round on matching_runs (round_workflow_id, created_at);
