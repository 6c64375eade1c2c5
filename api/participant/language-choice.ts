/**
 * The language switch of a participant's page as a POST, the one way besides sending a form in a
 * language that a person's stored language changes: a `?lang=` link only shows that page in another
 * language, so a link opened by someone else, a preview or a crawler never changes whose emails are
 * in what. Like the page's other forms it needs no session or CSRF token: the personal link in its
 * address is the credential.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import type { Sql } from '../../platform/db/connect.js';
import { LANGUAGES, pickLanguage, translator } from '../../platform/i18n.js';
import { rememberLanguage, type LinkedPerson } from './language.js';

const languageChoice = z.object({ lang: z.enum(LANGUAGES) });

/**
 * Keeps the chosen language for the person behind the link and shows their page again (303, so a
 * reload does not send the form twice). A link that speaks to no participant (a manager's) has nothing
 * to keep: its page is shown in the chosen language.
 */
export async function keepChosenLanguage(
  sql: Sql,
  reply: FastifyReply,
  person: LinkedPerson | undefined,
  body: unknown,
  pageUrl: string,
) {
  const parsed = languageChoice.safeParse(body ?? {});
  if (!parsed.success) {
    const t = translator(pickLanguage(reply.request.pageContext.lang));
    return reply.message(400, 'requestInvalid', {
      detail: t('validation.chooseOne', { label: t('chrome.keepLanguage') }),
    });
  }
  const { lang } = parsed.data;
  if (!person) return reply.redirect(`${pageUrl}?lang=${lang}`, 303);
  await rememberLanguage(sql, person, lang);
  return reply.redirect(pageUrl, 303);
}
