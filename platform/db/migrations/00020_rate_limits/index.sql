-- Request counts of the rate limits, shared by every API instance (a limit kept in one process's
-- memory lets each instance behind a load balancer grant it again). The key is a hash: no client
-- address is stored. A row whose window has ended counts from one again.
create table rate_limits (
  key text primary key,
  hits integer not null,
  window_ends timestamptz not null
);
create index rate_limits_window_ends on rate_limits (window_ends);
