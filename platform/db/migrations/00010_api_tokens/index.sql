-- Tokens of HR systems and other integrations calling /api/v1. Only a hash is kept, so a database leak
-- yields no usable token. A plain SHA-256 is enough here (no salt, no slow hash): a token is 32 random
-- bytes, which no dictionary or brute force reaches, and a fast unsalted hash lets the unique index find it.
create table api_tokens (
  id uuid primary key default gen_random_uuid(),
  name text not null,
  token_hash text not null unique,
  -- Null: every programme. Otherwise the token may only touch this programme.
  program_id text references programs (id),
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  -- Written at most once a minute, so a busy integration does not write on every request.
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- People invited to a programme (from an HR export, say). Personal data: erased with the rest of a
-- person's data, and the invitations workflow names only these rows' ids, never a name or an address.
create table invitations (
  id uuid primary key default gen_random_uuid(),
  program_id text not null references programs (id),
  role text not null check (role in ('mentee', 'mentor')),
  name text not null,
  email text not null,
  -- Null: the programme's language.
  language text,
  invited_at timestamptz not null default now(),
  unique (program_id, email, role)
);
