-- One data key per workflow (its owner) and master key: Temporal payloads of a relationship or a mentor
-- are encrypted with the data key of that workflow, which is stored here only wrapped by a master key
-- from the configuration. Erasing a participant destroys their workflows' data keys, after which their
-- payloads in Temporal's history and archives cannot be decrypted anywhere.
create table payload_keys (
  id uuid primary key default gen_random_uuid(),
  -- The workflow id the payloads belong to; '' for payloads that belong to no workflow.
  owner text not null,
  master_key_id text not null,
  wrapped bytea,
  created_at timestamptz not null default now(),
  destroyed_at timestamptz,
  check ((wrapped is null) = (destroyed_at is not null))
);
create unique index payload_keys_current on payload_keys (owner, master_key_id) where destroyed_at is null;
