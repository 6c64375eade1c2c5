/**
 * A participant's own language: kept with the person (null while it is the programme's) when they send
 * a form in it or keep it with their page's language switch (a POST, language-choice.ts), and used for
 * their pages and emails from then on. A `?lang=` link only shows one page in another language.
 */
import type { ShortMemory } from '../plugins/short-memory.js';
import type { Sql } from '../../platform/db/connect.js';
import { isLanguage, pickLanguage, type Language } from '../../platform/i18n.js';
import type { LinkClaims } from '../../platform/links.js';
import type { OpenStep, RelationshipStatus } from '../../workflows/messages.js';
import { timeZoneOf } from '../../services/program-settings.js';

/** Someone a link speaks to, in the table that holds them: a programme's participant or a cohort member. */
export interface LinkedPerson {
  table: 'participants' | 'cohort_members';
  id: string;
  language?: Language;
  /** The time zone they chose to read dates in, if they did (participants only). */
  timeZone?: string;
}

/** What the workflow behind a link says: its programme, and for a relationship its mentor. */
type LinkedWorkflow = Pick<RelationshipStatus, 'programId' | 'mentor'>;

/**
 * Who a link speaks to: the mentee through their application, the mentor through the pair, a cohort's
 * member through the step they are asked; a manager is no participant.
 */
export async function linkedParticipant(
  sql: Sql,
  claims: Pick<LinkClaims, 'wf' | 'role' | 'participant'>,
  workflow: LinkedWorkflow,
  step?: Pick<OpenStep, 'memberId'>,
): Promise<LinkedPerson | undefined> {
  if (claims.role === 'member') {
    if (!step?.memberId) return undefined;
    const [row] = await sql<{ language: string | null }[]>`
      select language from cohort_members where id = ${step.memberId}`;
    return row && { table: 'cohort_members', id: step.memberId, language: languageOf(row.language) };
  }
  // A mentor's link names the mentor it was sent to; an older one, whoever is the mentor now.
  const id =
    claims.role === 'mentor'
      ? (claims.participant ?? workflow.mentor?.mentorParticipantId)
      : claims.role === 'mentee'
        ? (
            await sql<
              { id: string }[]
            >`select participant_id as id from applications where workflow_id = ${claims.wf}`
          )[0]?.id
        : undefined;
  if (!id) return undefined;
  const [row] = await sql<{ language: string | null; time_zone: string | null }[]>`
    select language, time_zone from participants where id = ${id}`;
  return {
    table: 'participants',
    id,
    language: languageOf(row?.language),
    ...(row?.time_zone ? { timeZone: row.time_zone } : {}),
  };
}

const languageOf = (value: unknown) => (isLanguage(value) ? value : undefined);

/**
 * Who a link's page speaks to and in which language: `chosen` for this page (a `?lang=` link, the
 * language a form was sent in), else the person's own, else the programme's. The page's messages
 * follow it too; nothing is kept here.
 */
export async function linkedPage(
  sql: Sql,
  claims: Pick<LinkClaims, 'wf' | 'role' | 'participant'>,
  workflow: LinkedWorkflow,
  chosen: unknown,
  step?: Pick<OpenStep, 'memberId'>,
  /** Where the programme's row may be kept a few seconds (api/plugins/short-memory.ts). */
  memory?: ShortMemory,
) {
  const read = async () => {
    const [row] = await sql<{ name: string; language: string; settings: unknown }[]>`
      select name, language, settings from programs where id = ${workflow.programId}`;
    return row;
  };
  const program = await (memory ? memory.get(`programme of a link ${workflow.programId}`, read) : read());
  const participant = await linkedParticipant(sql, claims, workflow, step);
  return {
    program,
    participant,
    lang: pickLanguage(chosen, participant?.language, program?.language),
    // Dates in the person's own zone, else the programme's.
    timeZone: participant?.timeZone ?? timeZoneOf(program?.settings),
  };
}

/** Keeps a choice of language; a participant choosing the programme's own clears it, so it follows the programme. */
export async function rememberLanguage(sql: Sql, person: LinkedPerson, lang: Language): Promise<void> {
  if (person.table === 'cohort_members') {
    await sql`update cohort_members set language = ${lang} where id = ${person.id}`;
    return;
  }
  await sql`
    update participants p set language = nullif(${lang}, pr.language)
    from programs pr where p.id = ${person.id} and pr.id = p.program_id`;
}
