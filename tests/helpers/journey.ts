/**
 * A journey the way people walk it: pages fetched and their forms sent as a browser without JavaScript
 * does, and emails read from the test's SMTP server, their links followed. No call into the project's
 * modules, no SQL, no Temporal client.
 */
import type { ParsedMail } from 'mailparser';
import { expect } from 'vitest';
import { Browser, hiddenValue, type Page } from './http.js';
import { signIn } from './stack.js';
import type { Mailbox } from './smtp.js';

const addressedTo = (m: ParsedMail, address: string) =>
  [m.to ?? []].flat().some((to) => to.value.some((v) => v.address?.toLowerCase() === address));

/** Every email `address` received so far, in the order they came. */
export const mailsOf = (mailbox: Mailbox, address: string) =>
  mailbox.messages.filter((m) => addressedTo(m, address));

/** Waits until `address` has an email with this subject (the `nth`, counting from 1) and returns it. */
export async function mailWith(
  mailbox: Mailbox,
  address: string,
  subject: string | RegExp,
  nth = 1,
  timeoutMs = 60_000,
): Promise<ParsedMail> {
  const fits = (m: ParsedMail) =>
    typeof subject === 'string' ? m.subject === subject : subject.test(m.subject ?? '');
  try {
    await mailbox.waitFor(
      (all) => all.filter((m) => addressedTo(m, address) && fits(m)).length >= nth,
      timeoutMs,
    );
  } catch {
    const had = mailsOf(mailbox, address).map((m) => m.subject);
    throw new Error(`${address} did not get "${String(subject)}" (#${nth}); had: ${had.join(' | ')}`);
  }
  return mailsOf(mailbox, address).filter(fits)[nth - 1]!;
}

export function linkIn(mail: ParsedMail, kind: 's' | 'f'): string {
  const link = new RegExp(`(http\\S+/${kind}/\\S+)`).exec(mail.text ?? '')?.[1];
  if (!link) throw new Error(`no /${kind}/ link in "${mail.subject}"`);
  return link;
}

/** A form's action without its fragment (`…/rounds/matching#matching`). */
const actionOf = (action: string | undefined) => (action ?? '').split('#')[0]!;

/** The named controls of the form whose action ends with `action`, as the browser would send them. */
export function formFields(page: Page, action: string): Record<string, string> {
  const form = page.doc
    .querySelectorAll('form[method=post]')
    .find((f) => actionOf(f.getAttribute('action')).endsWith(action));
  if (!form) throw new Error(`no form to ${action} on the page: ${page.text.slice(0, 300)}`);
  const fields: Record<string, string> = {};
  for (const el of form.querySelectorAll('input[name], textarea[name], select[name]')) {
    const name = el.getAttribute('name')!;
    const type = el.getAttribute('type');
    if (el.tagName === 'TEXTAREA') fields[name] = el.text;
    else if (el.tagName === 'SELECT')
      fields[name] =
        (el.querySelector('option[selected]') ?? el.querySelector('option'))?.getAttribute('value') ?? '';
    else if (type === 'checkbox' || type === 'radio') {
      if (el.hasAttribute('checked')) fields[name] = el.getAttribute('value') ?? 'on';
    } else fields[name] = el.getAttribute('value') ?? '';
  }
  return fields;
}

/** Sends the page's form to `action` with these values changed, the way a person fills it in. */
export function send(
  browser: Browser,
  page: Page,
  action: string,
  changes: Record<string, string | undefined> = {},
): Promise<Page> {
  const form = page.doc
    .querySelectorAll('form[method=post]')
    .find((f) => actionOf(f.getAttribute('action')).endsWith(action))!;
  const fields = { ...formFields(page, action), ...changes };
  for (const [k, v] of Object.entries(fields)) if (v === undefined) delete fields[k];
  return browser.post(new URL(form.getAttribute('action')!, page.url).href, fields as Record<string, string>);
}

/** Opens an emailed form link and sends it with these answers. */
export async function answerLink(link: string, answers: Record<string, string | string[]>): Promise<Page> {
  const browser = new Browser();
  const form = await browser.get(link);
  expect(form.status, form.text).toBe(200);
  return browser.post(link, { ...answers, submissionId: hiddenValue(form, 'submissionId') });
}

/** How a person answers the forms emailed to them, by the email's subject; undefined leaves it unanswered. */
export type Answering = (subject: string) => Record<string, string | string[]> | undefined;

/**
 * People who answer every form emailed to them soon after it comes (a participant who never answers
 * is simply not among them). Each form link is answered once; the pages they get are kept.
 */
export function answeringPeople(mailbox: Mailbox, people: Map<string, Answering>) {
  const answered = new Set<ParsedMail>();
  const problems: string[] = [];
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      for (const mail of [...mailbox.messages]) {
        if (answered.has(mail)) continue;
        const to = [mail.to ?? []].flat().flatMap((a) => a.value.map((v) => v.address?.toLowerCase() ?? ''));
        const answering = to.map((address) => people.get(address)).find(Boolean);
        const answers = answering?.(mail.subject ?? '');
        if (!answers || !/\/f\//.test(mail.text ?? '')) continue;
        answered.add(mail);
        try {
          // A form closed meanwhile (the pair ended, say) shows its page and takes no answer.
          const browser = new Browser();
          const link = linkIn(mail, 'f');
          const form = await browser.get(link);
          if (form.status !== 200 || !form.doc.querySelector('input[name=submissionId]')) continue;
          const page = await browser.post(link, {
            ...answers,
            submissionId: hiddenValue(form, 'submissionId'),
          });
          // 410: the form closed between opening and sending it (the pair ended meanwhile), as a person may find.
          if (page.status !== 200 && page.status !== 410)
            problems.push(`${to.join()} "${mail.subject}": ${page.status} ${page.text.slice(0, 200)}`);
        } catch (err) {
          problems.push(`${to.join()} "${mail.subject}": ${String(err)}`);
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  })();
  return {
    problems,
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/** The administrator adds a coordinator's account for one programme on the users page; the coordinator signs in. */
export async function coordinatorAdded(
  admin: Browser,
  baseUrl: string,
  account: { email: string; password: string; programId: string },
): Promise<Browser> {
  const users = await admin.get(`${baseUrl}/admin/users`);
  const made = await send(admin, users, '/admin/users', { ...account, role: 'coordinator' });
  expect(made.status, made.text).toBeLessThan(400);
  return signIn(baseUrl, account);
}
