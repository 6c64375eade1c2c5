-- Every closed workflow run's history, as Temporal stored it: the audit trail outlives the server's
-- retention. Payloads stay encrypted with their workflow's data keys, so erasing a participant (which
-- destroys those keys) makes their archived answers unreadable too; what is readable without a key
-- (event types, times, ids, phases) holds no personal data.
create table workflow_archive (
  workflow_id text not null,
  run_id text not null,
  workflow_type text not null,
  program_id text,
  status text not null,
  started_at timestamptz not null,
  closed_at timestamptz not null,
  events int not null,
  -- Temporal's JSON form of the history (the form `temporal workflow show --output json` prints).
  history jsonb not null,
  archived_at timestamptz not null default now(),
  primary key (workflow_id, run_id)
);
create index workflow_archive_program on workflow_archive (program_id, closed_at);
