/**
 * Whether a mentor's link still belongs to the relationship's mentor. A relationship outlives its pairs:
 * after a rematch the previous mentor's emailed link names the same workflow and role, and must no
 * longer open the page or act on the new pair.
 */
import type { Sql } from '../../platform/db/connect.js';
import type { LinkClaims } from '../../platform/links.js';
import type { RelationshipStatus } from '../../workflows/messages.js';

export async function mentorStillHolds(
  sql: Sql,
  token: string,
  claims: Pick<LinkClaims, 'wf' | 'participant'>,
  status: Pick<RelationshipStatus, 'mentor'>,
): Promise<boolean> {
  const mentor = status.mentor?.mentorParticipantId;
  if (!mentor) return false;
  if (claims.participant) return claims.participant === mentor;
  // Links emailed before they named their holder: the email that carried the token says whom it was
  // sent to (addresses never change but at erasure, which deletes the email too). No such email, or
  // one sent to someone else, and the link is refused: it fails closed.
  const [sent] = await sql`
    select 1 from email_outbox o join participants p on p.id = ${mentor}
    where split_part(o.idempotency_key, '/', 1) = ${claims.wf}
      and o.recipient = p.email and strpos(o.text_body, ${token}) > 0
    limit 1`;
  return sent !== undefined;
}
