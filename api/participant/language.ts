/**
 * A participant's own language: chosen on a form or the status page, kept in `participants.language`
 * (null while it is the programme's), and used for their pages and emails from then on.
 */
import type { Sql } from '../../db/connect.js';
import { isLanguage, pickLanguage, type Language } from '../../lib/i18n.js';
import type { LinkClaims } from '../../lib/links.js';
import type { RelationshipStatus } from '../../workflows/messages.js';

/** Who a link speaks to: the mentee through their application, the mentor through the pair; a manager is no participant. */
export async function linkedParticipant(
  sql: Sql,
  claims: Pick<LinkClaims, 'wf' | 'role'>,
  status: RelationshipStatus,
): Promise<{ id: string; language?: Language } | undefined> {
  const id =
    claims.role === 'mentor'
      ? status.mentor?.mentorParticipantId
      : claims.role === 'mentee'
        ? (
            await sql<
              { id: string }[]
            >`select participant_id as id from applications where workflow_id = ${claims.wf}`
          )[0]?.id
        : undefined;
  if (!id) return undefined;
  const [row] = await sql<{ language: string | null }[]>`select language from participants where id = ${id}`;
  return { id, language: isLanguage(row?.language) ? row.language : undefined };
}

/**
 * Who a link's page speaks to and in which language: `chosen` on the page, else the person's own,
 * else the programme's. The page's messages follow it too.
 */
export async function linkedPage(
  sql: Sql,
  claims: Pick<LinkClaims, 'wf' | 'role'>,
  status: RelationshipStatus,
  chosen: unknown,
) {
  const [program] = await sql<{ name: string; language: string }[]>`
    select name, language from programs where id = ${status.programId}`;
  const participant = await linkedParticipant(sql, claims, status);
  return { program, participant, lang: pickLanguage(chosen, participant?.language, program?.language) };
}

/** Keeps a choice of language; choosing the programme's own language clears it, so it follows the programme. */
export async function rememberLanguage(sql: Sql, participantId: string, lang: Language): Promise<void> {
  await sql`
    update participants p set language = nullif(${lang}, pr.language)
    from programs pr where p.id = ${participantId} and pr.id = p.program_id`;
}
