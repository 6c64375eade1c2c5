-- Programs are business keys chosen by people (a slug), so they can name workflows and URLs.
create table programs (
  id text primary key check (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text not null,
  model text not null default 'one-to-one',
  language text not null default 'en',
  coordinator_email text not null,
  applications_open boolean not null default true,
  created_at timestamptz not null default now()
);

-- A person in one program. The random id, never the email, names their workflows.
create table participants (
  id uuid primary key default gen_random_uuid(),
  program_id text not null references programs (id),
  email text not null,
  name text not null,
  created_at timestamptz not null default now(),
  unique (program_id, email)
);

create table applications (
  id uuid primary key default gen_random_uuid(),
  program_id text not null references programs (id),
  participant_id uuid not null references participants (id),
  role text not null check (role in ('mentee', 'mentor')),
  workflow_id text not null unique,
  submission_id text not null unique,
  answers jsonb not null,
  submitted_at timestamptz not null default now()
);

-- Every email, keyed by the step that sends it: an activity retried after a crash finds the row and
-- does not send twice. Rows sent through the development mailbox are what its page lists.
create table email_outbox (
  idempotency_key text primary key,
  recipient text not null,
  subject text not null,
  text_body text not null,
  html_body text not null,
  transport text not null check (transport in ('smtp', 'dev-mailbox')),
  message_id text,
  created_at timestamptz not null default now(),
  sent_at timestamptz
);

create table users (
  id uuid primary key default gen_random_uuid(),
  email text not null unique,
  password_hash text not null,
  created_at timestamptz not null default now()
);

-- A coordinator is one per program; administrators and auditors hold their role across programs.
create table user_roles (
  user_id uuid not null references users (id) on delete cascade,
  role text not null check (role in ('administrator', 'coordinator', 'auditor')),
  program_id text references programs (id),
  check ((role = 'coordinator') = (program_id is not null))
);
create unique index user_roles_unique on user_roles (user_id, role, coalesce(program_id, ''));

-- Admin sessions; the key is a hash of the cookie's session id, so a database leak yields no live session.
create table admin_sessions (
  id_hash text primary key,
  data jsonb not null,
  expires_at timestamptz not null
);
create index admin_sessions_expiry on admin_sessions (expires_at);
