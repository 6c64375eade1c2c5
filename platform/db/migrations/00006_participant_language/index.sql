-- The language a participant chose (on a form or their status page); null until they choose, when the
-- programme's language applies. Their emails follow it.
alter table participants add column language text;
