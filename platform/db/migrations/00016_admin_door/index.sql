-- A token is for the integration API (/api/v1) or for the codec endpoint (/admin/codec/decode, the
-- Temporal CLI's --codec-auth); one never works where the other does. A codec token reaches no programme.
alter table api_tokens add column kind text not null default 'integration'
  check (kind in ('integration', 'codec'));
alter table api_tokens add constraint api_tokens_codec_for_no_programme
  check (kind = 'integration' or program_id is null);

-- Failed admin sign-ins counted per bucket (the account from one address, the account, the address,
-- everyone) in fixed windows, shared by every API instance. A bucket is an HMAC under the session
-- secret, never an email or an address; rows whose window has passed are swept as new ones come.
create table sign_in_failures (
  bucket text primary key,
  window_started_at timestamptz not null,
  failures integer not null
);
create index sign_in_failures_window on sign_in_failures (window_started_at);
