/**
 * Three things a person sees, over real HTTP with mail going to the development mailbox (no SMTP_URL,
 * as `npm start` runs with nothing configured):
 * - the mailbox lists a meeting reminder's calendar invitation and serves it for download;
 * - a `?lang=` link shows one page in another language and keeps nothing: the next email is still in
 *   the person's language; keeping a language with the page's switch (a POST), or sending a form in
 *   one, changes their emails;
 * - the relationships CSV has the meetings planned and held of a running relationship, and its mentor.
 */
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApi } from '../api/app.js';
import { attachmentDisposition } from '../api/dev/content-disposition.js';
import { apiServices } from '../api/services.js';
import { temporalConfig } from '../temporal.config.js';
import { assignMentee, recordInterview, relationshipStatus } from '../workflows/messages.js';
import {
  AGREEMENT,
  answerForm,
  applyAsMentee,
  COORDINATOR,
  pooledMentor,
  useSettings,
} from './helpers/flows.js';
import { Browser, hiddenValue, type Page } from './helpers/http.js';
import { backends, makeUser, signIn, startStack, type Stack } from './helpers/stack.js';

/** An email as the development mailbox page shows it. */
interface Mail {
  to: string;
  subject: string;
  links: string[];
  attachments: { name: string; href: string; details: string }[];
}

const htmlLang = (page: Page) => page.doc.querySelector('html')?.getAttribute('lang');

describe.each(backends())('mailbox attachments, kept languages and the CSV (database: %s)', (backend) => {
  let stack: Stack;
  let mailboxUrl: string;
  let closeMailbox: () => Promise<void>;

  beforeAll(async () => {
    // Without SMTP_URL every email goes to the development mailbox, as with `npm start` unconfigured.
    stack = await startStack(backend, { SMTP_URL: undefined } as unknown as Record<string, string>);
    // 4 meetings 5 s apart, each reminded 1 s ahead; forms do not remind within the test.
    await useSettings(stack, {
      duration: 'PT20S',
      meetingCadence: 'PT5S',
      meetingReminderBefore: 'PT1S',
      formReminderAfter: 'PT10M',
      managerEndorsement: false,
    });
    // The stack's API leaves the mailbox out; a second API on the same database mounts it, as `npm start` does.
    const api = await apiServices(
      stack.config,
      { ...temporalConfig({}), address: inject('temporalAddress'), taskQueue: stack.taskQueue },
      stack.shared,
    );
    const app = await buildApi(api.services, { devMailbox: true, logger: { level: 'error' } });
    await app.listen({ host: '127.0.0.1', port: 0 });
    mailboxUrl = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/dev/mailbox`;
    closeMailbox = async () => {
      await app.close();
      await api.close();
    };
  });
  afterAll(async () => {
    await closeMailbox?.();
    await stack?.close();
  });

  /** Every email in the mailbox, oldest first. */
  async function mailbox(): Promise<Mail[]> {
    const page = await new Browser().get(mailboxUrl);
    expect(page.status).toBe(200);
    return page.doc
      .querySelectorAll('article.mail')
      .map((article) => ({
        to: /^To (\S+)/.exec(article.querySelector('.meta')!.text.trim())![1]!,
        subject: article.querySelector('h2')!.text.trim(),
        links: article.querySelectorAll('.mail-body a').map((a) => a.getAttribute('href')!),
        attachments: article.querySelectorAll('.attachments li').map((li) => ({
          name: li.querySelector('a')!.text.trim(),
          href: new URL(li.querySelector('a')!.getAttribute('href')!, mailboxUrl).href,
          details: li.querySelector('.meta')!.text.trim(),
        })),
      }))
      .reverse();
  }

  /**
   * The newest email to `to` whose subject starts with `subject`, once it is there (an email about
   * someone else, such as a mentor's about their mentee, may name them after it).
   */
  async function mailWith(to: string, subject: string): Promise<Mail> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const mails = (await mailbox()).filter((m) => m.to === to);
      const found = mails.filter((m) => m.subject.startsWith(subject)).at(-1);
      if (found) return found;
      if (Date.now() > deadline)
        throw new Error(`no "${subject}" to ${to}; it has: ${mails.map((m) => m.subject).join(' | ')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  const subjectsTo = async (to: string) => (await mailbox()).filter((m) => m.to === to).map((m) => m.subject);
  const linkIn = (mail: Mail, kind: 's' | 'f') => mail.links.find((l) => l.includes(`/${kind}/`))!;

  it('keeps a language only when chosen, shows the .ics of a meeting, and exports meetings and the mentor', async () => {
    const mentor = await pooledMentor(stack, 'grace@example.org', 'Grace Hopper', '1');
    const { workflowId } = await applyAsMentee(stack, { email: 'mia@example.org', name: 'Mia Jansen' });
    const relationship = stack.client.workflow.getHandle(workflowId);
    const phase = async () => (await relationship.query(relationshipStatus)).phase;

    // Dutch through a link: that page only. The language switch on it offers to keep Dutch.
    const statusUrl = linkIn(
      await mailWith('mia@example.org', 'Your mentoring application is received'),
      's',
    );
    const browser = new Browser();
    const dutch = await browser.get(`${statusUrl}?lang=nl`);
    expect(htmlLang(dutch)).toBe('nl');
    expect(dutch.doc.querySelector('h1')?.text).toBe('Je mentortraject');
    const keep = dutch.doc.querySelector('form.language-choice')!;
    expect(keep.getAttribute('method')).toBe('post');
    expect(keep.querySelector('option[selected]')?.getAttribute('value')).toBe('nl');
    expect(keep.querySelector('button')?.text).toBe('Deze taal bewaren');
    expect(htmlLang(await browser.get(statusUrl))).toBe('en');

    // So the next email is still in the programme's language.
    await expect.poll(phase).toBe('interview');
    await relationship.executeUpdate(recordInterview, {
      args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
    });
    await mailWith('mia@example.org', 'You are accepted into the mentoring programme');

    // Keeping Dutch is a POST from that form; an unknown language is refused and keeps nothing.
    const action = new URL(keep.getAttribute('action')!, statusUrl).href;
    expect((await browser.post(action, { lang: 'xx' })).status).toBe(400);
    expect(htmlLang(await browser.get(statusUrl))).toBe('en');
    const kept = await browser.post(action, { lang: 'nl' });
    expect(kept.status).toBe(303);
    expect(new URL(kept.location!, statusUrl).href).toBe(statusUrl);
    expect(htmlLang(await browser.get(statusUrl))).toBe('nl');

    // From then on her emails are Dutch; the mentor's stay English.
    await expect.poll(phase).toBe('matching');
    await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: workflowId, by: COORDINATOR }] });
    await mailWith('mia@example.org', 'Je hebt een mentor');
    const menteeAgreement = await mailWith('mia@example.org', 'Jullie mentorovereenkomst');
    const mentorAgreement = await mailWith('grace@example.org', 'Your mentoring agreement');
    expect(await subjectsTo('mia@example.org')).toEqual(
      [
        'Your mentoring application is received',
        'You are accepted into the mentoring programme',
        'Je hebt een mentor',
        'Jullie mentorovereenkomst',
      ].map((subject) => expect.stringMatching(new RegExp(`^${subject}`))),
    );

    // The mentor looks at the form in Danish, which keeps nothing, then sends it in Swedish, which does.
    const formUrl = linkIn(mentorAgreement, 'f');
    const danish = await new Browser().get(`${formUrl}?lang=da`);
    expect(htmlLang(danish)).toBe('da');
    expect(danish.doc.querySelector('form.language-choice option[selected]')?.getAttribute('value')).toBe(
      'da',
    );
    expect(htmlLang(await new Browser().get(formUrl))).toBe('en');
    const swedish = await new Browser().get(`${formUrl}?lang=sv`);
    const signed = await new Browser().post(formUrl, {
      ...AGREEMENT,
      submissionId: hiddenValue(swedish, 'submissionId'),
      lang: hiddenValue(swedish, 'lang'),
    });
    expect(signed.status, signed.text).toBe(200);
    expect(signed.doc.querySelector('h1')?.text).toBe('Tack, vi har tagit emot ditt svar');
    // The mentee's form opens in her kept Dutch.
    const menteeForm = linkIn(menteeAgreement, 'f');
    expect(htmlLang(await new Browser().get(menteeForm))).toBe('nl');
    expect((await answerForm(menteeForm, AGREEMENT)).status).toBe(200);

    // Each meeting reminder in each person's language, with its calendar invitation attached.
    const reminder = await mailWith('grace@example.org', 'Mentorsmöte 1 av 4');
    await mailWith('mia@example.org', 'Mentorgesprek 1 van 4');
    expect(reminder.attachments).toHaveLength(1);
    const [ics] = reminder.attachments;
    expect(ics!.name).toBe('meeting.ics');
    expect(ics!.details).toMatch(/^\(text\/calendar, \d+ bytes\)$/);
    const download = await fetch(ics!.href);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toMatch(/^text\/calendar; charset=utf-8/);
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="meeting.ics"; filename*=UTF-8''meeting.ics`,
    );
    const calendar = Buffer.from(await download.arrayBuffer());
    expect(ics!.details).toBe(`(text/calendar, ${calendar.length} bytes)`);
    // The entry names the pair, in the reader's language (Swedish here).
    expect(calendar.toString()).toMatch(
      /BEGIN:VCALENDAR[\s\S]*METHOD:REQUEST[\s\S]*SUMMARY:Mentorskap: \S+ \S+ och \S+ \S+/,
    );
    // Emails without one list none; a file the email does not have is not found.
    expect((await mailWith('grace@example.org', 'You have a mentee')).attachments).toEqual([]);
    const other = new URL(ics!.href);
    other.searchParams.set('name', 'other.ics');
    expect((await fetch(other)).status).toBe(404);
    // A name that could break the header is made safe in it.
    expect(attachmentDisposition('a"b\r\n\\c/ø.ics')).toBe(
      `attachment; filename="a_b___c__.ics"; filename*=UTF-8''a%22b%0D%0A%5Cc%2F%C3%B8.ics`,
    );
    // Only where the dev mailbox is on: the stack's own API has neither page.
    expect((await fetch(`${stack.baseUrl}/dev/mailbox`)).status).toBe(404);
    expect((await fetch(`${stack.baseUrl}/dev/mailbox/attachment${other.search}`)).status).toBe(404);

    // The mentee logs the first meeting as held, from her Dutch email; first she keeps Danish with the
    // form page's own switch, which takes her back to the form.
    const logUrl = linkIn(await mailWith('mia@example.org', 'Verslag van je mentorgesprek'), 'f');
    const logPage = await new Browser().get(logUrl);
    expect(htmlLang(logPage)).toBe('nl');
    const switchTo = logPage.doc.querySelector('form.language-choice')!.getAttribute('action')!;
    const toDanish = await new Browser().post(new URL(switchTo, logUrl).href, { lang: 'da' });
    expect(toDanish.status).toBe(303);
    expect(new URL(toDanish.location!, logUrl).href).toBe(logUrl);
    expect(htmlLang(await new Browser().get(logUrl))).toBe('da');
    expect((await answerForm(logUrl, { held: 'yes' })).status).toBe(200);

    // Someone still waiting for their interview: running, unmatched.
    const { workflowId: waiting } = await applyAsMentee(stack, {
      email: 'noor@example.org',
      name: 'Noor Visser',
    });

    // The CSV has the running relationship's meetings so far and its mentor's name.
    const coordinator = await signIn(
      stack.baseUrl,
      await makeUser(stack, 'coord@example.org', [{ role: 'coordinator', programId: stack.programId }]),
    );
    const csvUrl = `${stack.baseUrl}/admin/programs/${stack.programId}/relationships.csv`;
    const rowsOf = async () => {
      const csv = await coordinator.get(csvUrl);
      expect(csv.status).toBe(200);
      const [header, ...lines] = csv.html
        .trim()
        .split('\n')
        .map((l) => l.split(','));
      return lines.map((cells) => Object.fromEntries(header!.map((h, i) => [h, cells[i] ?? ''])));
    };
    // The visibility store shows a published status a moment after the workflow published it.
    await expect
      .poll(
        async () => {
          const now = await rowsOf();
          return [workflowId, waiting].map((id) => now.find((r) => r.workflow_id === id)?.meetings_held);
        },
        { timeout: 20_000 },
      )
      .toEqual(['1', '0']);
    const rows = await rowsOf();
    expect(rows.find((r) => r.workflow_id === workflowId)).toMatchObject({
      role: 'mentee',
      name: 'Mia Jansen',
      status: 'RUNNING',
      outcome: '',
      meetings_planned: '4',
      meetings_held: '1',
      mentor: 'Grace Hopper',
      meetings_moved: '0',
      meetings_cancelled: '0',
      meetings_missed: '0',
    });
    expect(rows.find((r) => r.workflow_id === waiting)).toMatchObject({
      status: 'RUNNING',
      meetings_planned: '0',
      meetings_held: '0',
      mentor: '',
    });
    expect(rows.find((r) => r.workflow_id === mentor.workflowId)).toMatchObject({
      role: 'mentor',
      mentor: '',
    });
  }, 180_000);
});
