-- One attempt at a time sends an email: an attempt Temporal has given up on (its time ran out while SMTP
-- was slow) may still be sending, and the next one waits until this lease has run out.
alter table email_outbox add column sending_until timestamptz;
