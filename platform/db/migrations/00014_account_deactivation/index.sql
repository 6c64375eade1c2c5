-- An account an administrator has deactivated: it keeps its roles and history (audit trails name it),
-- but cannot sign in, and its sessions are ended. Null: active.
alter table users add column deactivated_at timestamptz;
