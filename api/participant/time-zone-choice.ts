/**
 * A participant's own time zone, chosen on their status page (a POST, like the language switch): from
 * then on their pages and emails show dates on that clock, named. Choosing the programme's zone clears
 * it, so the person follows the programme again.
 */
import type { FastifyReply } from 'fastify';
import type { Sql } from '../../platform/db/connect.js';
import { pickLanguage, translator } from '../../platform/i18n.js';
import { canonicalZone, UTC } from '../../workflows/local-time.js';
import type { LinkedPerson } from './language.js';

/** Every zone a person can choose, UTC first. */
export const TIME_ZONES = [UTC, ...Intl.supportedValuesOf('timeZone').filter((z) => z !== UTC)];

/** The choice as the status page shows it: the programme's zone, or one of the others. */
export function timeZoneChoice(person: LinkedPerson | undefined, programmeZone: string) {
  const own = person?.timeZone;
  return {
    programmeZone,
    zones: TIME_ZONES.map((zone) => ({ zone, current: zone === own })),
  };
}

export async function keepChosenTimeZone(
  sql: Sql,
  reply: FastifyReply,
  person: LinkedPerson | undefined,
  body: unknown,
  pageUrl: string,
) {
  const typed = (body as { timeZone?: unknown } | null | undefined)?.timeZone;
  const zone = typeof typed === 'string' && typed !== '' ? canonicalZone(typed) : undefined;
  if (typeof typed !== 'string' || (typed !== '' && !zone) || person?.table !== 'participants') {
    const t = translator(pickLanguage(reply.request.pageContext.lang));
    return reply.message(400, 'requestInvalid', {
      detail: t('validation.chooseOne', { label: t('chrome.keepTimeZone') }),
    });
  }
  await sql`update participants set time_zone = ${zone ?? null} where id = ${person.id}`;
  return reply.redirect(pageUrl, 303);
}
