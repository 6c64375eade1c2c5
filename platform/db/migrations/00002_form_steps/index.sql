-- Timings and rules of a programme (ISO 8601 durations); a relationship pins them when it starts.
alter table programs add column settings jsonb not null default '{}';

-- Every answer to a form step, whole, against the form version it was made with.
create table form_submissions (
  workflow_id text not null,
  step_id text not null,
  role text not null,
  form_id text not null,
  form_version int not null,
  submission_id text not null,
  answers jsonb not null,
  submitted_at timestamptz not null default now(),
  primary key (workflow_id, step_id)
);
