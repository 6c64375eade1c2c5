-- A meeting reminder carries its calendar invitation; kept with the message so a retry sends the same one.
alter table email_outbox add column calendar text;

-- How each relationship ended, for the programme's statistics (kept when personal data is erased).
create table relationship_outcomes (
  workflow_id text primary key,
  program_id text not null references programs (id),
  outcome text not null,
  meetings_planned int not null,
  meetings_held int not null,
  closed_at timestamptz not null default now()
);
