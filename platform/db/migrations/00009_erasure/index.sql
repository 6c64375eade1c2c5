-- How long personal data is kept after a relationship closes, per programme (storage limitation).
alter table programs add column retention_days int not null default 365 check (retention_days >= 0);

-- Every erasure: whose, when, under which rule, by whom, and what was erased. Holds no personal data
-- itself: the participant's id is a random uuid whose row has been anonymised.
create table erasures (
  id uuid primary key default gen_random_uuid(),
  participant_id uuid not null,
  program_id text not null references programs (id),
  rule text not null check (rule in ('request', 'retention')),
  erased_by text,
  erased_at timestamptz not null default now(),
  details jsonb not null
);
create index erasures_participant on erasures (participant_id);
