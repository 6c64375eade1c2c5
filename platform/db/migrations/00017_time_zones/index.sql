-- The time zone a participant reads dates in (IANA, such as Europe/Oslo), when they chose one on their
-- status page; otherwise the programme's (`programs.settings.timeZone`), else UTC.
alter table participants add column time_zone text;
