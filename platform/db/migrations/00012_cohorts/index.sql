-- Learning-network cohorts: one workflow each (`cohort-<programme>-<n>`); the row lets the public
-- enrolment page find the programme's newest cohort.
create table cohorts (
  workflow_id text primary key,
  program_id text not null references programs (id),
  number int not null,
  created_at timestamptz not null default now(),
  unique (program_id, number)
);

-- A member organisation as it enrolled (the cohort's workflow knows it by id only).
create table cohort_organisations (
  id uuid primary key default gen_random_uuid(),
  cohort_workflow_id text not null references cohorts (workflow_id),
  name text not null,
  motivation text not null,
  -- The enrolment form's random id: a retried activity finds the organisation it stored.
  submission_id text not null unique,
  enrolled_at timestamptz not null default now()
);

-- The people of an organisation's project group: personal data, erased with the organisation.
create table cohort_members (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references cohort_organisations (id) on delete cascade,
  role text not null check (role in ('owner', 'leader', 'member')),
  name text not null,
  email text not null,
  language text,
  unique (organisation_id, email)
);

-- The report a cohort leaves when it closes: figures per gathering and organisation, kept after the
-- members' answers are erased.
create table cohort_reports (
  cohort_workflow_id text primary key references cohorts (workflow_id),
  program_id text not null references programs (id),
  report jsonb not null,
  created_at timestamptz not null default now()
);
