-- The outcome of each interview as the coordinator recorded it, for the programme page: the workflow's
-- history holds the same record (encrypted), which a page listing every applicant cannot afford to read.
-- The notes are personal data: erasure deletes the row with the person's other answers.
create table interview_records (
  workflow_id text primary key,
  program_id text not null references programs (id),
  outcome text not null check (outcome in ('accepted', 'declined')),
  reason text not null default '',
  notes text not null default '',
  recorded_by uuid,
  recorded_at timestamptz not null default now()
);
