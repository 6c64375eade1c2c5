/**
 * The pairings a participant was the mentor of, in the mentees' relationships of their programme. A
 * mentor's answers (agreement, fit check, mid-point, final evaluation) and the emails of those pairings
 * are kept under the mentee's relationship, not under the mentor's own workflow, so erasure and the data
 * export find them here.
 *
 * No table lists pairings (the relationship's history does, encrypted). Every email of a pairing is keyed
 * `<relationship>/pairing-<n>/…` and the first one, the match, goes to the mentor: so the outbox rows
 * addressed to them name each pairing they were in. Addresses change only when a person is erased.
 */
import type { Sql } from '../platform/db/connect.js';

export interface MentoredPairing {
  /** The mentee's relationship workflow. */
  workflowId: string;
  /** `pairing-<n>`: the prefix of that pairing's step ids and email keys. */
  pairing: string;
}

export async function mentoredPairings(sql: Sql, participantId: string): Promise<MentoredPairing[]> {
  return sql<MentoredPairing[]>`
    select distinct a.workflow_id as "workflowId", split_part(o.idempotency_key, '/', 2) as pairing
    from participants p
    join applications a on a.program_id = p.program_id and a.role = 'mentee' and a.participant_id <> p.id
    join email_outbox o on split_part(o.idempotency_key, '/', 1) = a.workflow_id
    where p.id = ${participantId}
      and o.recipient = p.email
      and split_part(o.idempotency_key, '/', 2) ~ '^pairing-[0-9]+$'
    order by 1, 2`;
}
