-- Programme rounds: each opens applications until a deadline or until its places are taken. The row is
-- written by the round's workflow; the programme points at its latest round.
create table program_rounds (
  workflow_id text primary key,
  program_id text not null references programs (id),
  number int not null,
  deadline timestamptz not null,
  places int not null,
  opened_at timestamptz not null default now(),
  closed_at timestamptz,
  unique (program_id, number)
);

alter table programs add column current_round text references program_rounds (workflow_id);
