-- How many meetings the pair moved and cancelled, kept with the outcome so the programme's figures
-- count them after the relationship has closed (those recorded before count none).
alter table relationship_outcomes
  add column meetings_moved integer not null default 0,
  add column meetings_cancelled integer not null default 0;
