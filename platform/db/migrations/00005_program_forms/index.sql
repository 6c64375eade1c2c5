-- A programme's own versions of its forms, made by a coordinator in the form editor. Version 1 of each
-- form is the built-in definition under forms/; an edit saves the next version here, never changes one.
create table program_forms (
  program_id text not null references programs (id),
  form_id text not null,
  version int not null,
  definition jsonb not null,
  created_by uuid references users (id),
  created_at timestamptz not null default now(),
  primary key (program_id, form_id, version)
);
