-- How many meetings the relationship counted as missed (a log that said not held, or none in time),
-- kept with the outcome. Null for outcomes recorded before the workflow counted them: their figures
-- count the logs that said not held instead.
alter table relationship_outcomes add column meetings_missed integer;
