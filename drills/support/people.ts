/**
 * The people of a programme as the drills play them: applicants and participants over real HTTP (a
 * browser without JavaScript: GET the form, POST it back with its hidden submission id), reaching their
 * forms through the signed links in their emails; the coordinator through Temporal Updates, as the
 * admin pages send them. Every HTTP answer is counted, and every 5xx kept for the report.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { ParsedMail } from 'mailparser';
import { Browser, hiddenValue, menteeAnswers, mentorAnswers, type Page } from '../../tests/helpers/http.js';
import {
  assignMentee,
  mentorStatus,
  recordInterview,
  type RelationshipPhase,
} from '../../workflows/messages.js';
import { linkIn } from './mailbox.js';
import { sleep, until } from './run.js';
import type { Stack } from './stack.js';
import { Phase } from '../../workflows/search-attributes.js';
import { statusOf } from '../../services/workflow-status.js';

/** The coordinator in drills: an id, as the admin pages send it. */
export const COORDINATOR = { userId: '00000000-0000-4000-8000-00000000d011' };

export class HttpLog {
  readonly statuses = new Map<number, number>();
  /** 5xx answers that are not an outage's "try again" page: each one a bug to report. */
  readonly serverErrors: string[] = [];
  /** "Try again" pages answered while a dependency was down (a window from `outage()`). */
  tryAgain = 0;
  #outages: { from: number; to: number }[] = [];

  /** From now until `end()` (plus `graceMs` for clients to reconnect), a 5xx may be a clear "try again" page. */
  outage(graceMs = 10_000): { end(): void } {
    const window = { from: Date.now(), to: Infinity };
    this.#outages.push(window);
    return { end: () => (window.to = Date.now() + graceMs) };
  }

  count(page: Page, what: string): Page {
    this.statuses.set(page.status, (this.statuses.get(page.status) ?? 0) + 1);
    if (page.status >= 500) {
      const now = Date.now();
      const duringOutage = this.#outages.some((w) => now >= w.from && now <= w.to);
      if (duringOutage && page.status === 503 && TRY_AGAIN.test(page.text)) this.tryAgain++;
      else this.serverErrors.push(`${what}: ${page.status} ${page.text.slice(0, 160)}`);
    }
    return page;
  }

  summary(): string {
    return [...this.statuses]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
  }
}

/** What the error page says when nothing was kept and the person should send again (locales/en/message.json). */
export const TRY_AGAIN = /try again/i;

/** How long a person waits for a page before giving up (a browser would wait about this long too). */
const PATIENCE_MS = 120_000;

/** The page, or an error naming what never answered: a drill must stop by itself and say so. */
function answerWithin(page: Promise<Page>, message: string): Promise<Page> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), PATIENCE_MS);
  });
  return Promise.race([page, timeout]).finally(() => clearTimeout(timer));
}

/**
 * GETs a form and POSTs it with `answers`. A 5xx is counted, then the same form (same submission id,
 * as a browser's back-and-resend would) is sent again after a pause, up to `attempts` times.
 */
export async function sendForm(
  http: HttpLog,
  url: string,
  answers: Record<string, string | string[]>,
  what: string,
  attempts = 10,
): Promise<Page> {
  const browser = new Browser();
  let form: Page | undefined;
  for (let i = 1; ; i++) {
    form ??= http.count(await browser.get(url), `${what} (form)`);
    if (form.status >= 500 && i < attempts) {
      form = undefined;
      await sleep(1000);
      continue;
    }
    if (form.status !== 200) return form;
    const page = http.count(
      await answerWithin(
        browser.post(url, { ...answers, submissionId: hiddenValue(form, 'submissionId') }),
        `${what}: no answer within ${PATIENCE_MS / 1000} s`,
      ),
      what,
    );
    if (page.status < 500 || i >= attempts) return page;
    await sleep(1000);
  }
}

/**
 * The workflow an application started, found by the applicant's address. After a 202 ("your receipt
 * follows") the answers reach the database when a worker runs the workflow: the drill waits as long as
 * a worker takes to come back.
 */
export async function workflowOf(
  stack: Stack,
  email: string,
  role: 'mentee' | 'mentor',
  waitMs = 120_000,
): Promise<string> {
  const find = async () => {
    const [row] = await stack.sql<{ workflow_id: string }[]>`
      select a.workflow_id from applications a join participants p on p.id = a.participant_id
      where p.email = ${email.toLowerCase()} and a.program_id = ${stack.programId} and a.role = ${role}`;
    return row?.workflow_id;
  };
  return until(`the ${role} application of ${email} stored`, find, waitMs, 500);
}

export async function applyAsMentee(http: HttpLog, stack: Stack, email: string, name: string) {
  const page = await sendForm(
    http,
    `${stack.baseUrl}/programs/${stack.programId}/apply`,
    menteeAnswers({ email, name, managerEmail: `manager.${email}` }),
    'mentee application',
  );
  if (page.status !== 200 && page.status !== 202)
    throw new Error(`mentee application of ${email}: ${page.status} ${page.text.slice(0, 200)}`);
  return stack.client.workflow.getHandle(await workflowOf(stack, email, 'mentee'));
}

export async function applyAsMentor(http: HttpLog, stack: Stack, email: string, name: string) {
  const page = await sendForm(
    http,
    `${stack.baseUrl}/programs/${stack.programId}/mentor`,
    mentorAnswers({ email, name }),
    'mentor application',
  );
  if (page.status !== 200 && page.status !== 202)
    throw new Error(`mentor application of ${email}: ${page.status} ${page.text.slice(0, 200)}`);
  return stack.client.workflow.getHandle(await workflowOf(stack, email, 'mentor'));
}

/**
 * A coordinator's Update, retried while the worker or the server is away. The Update ID makes a retry
 * of one that went through a no-op rather than a second action.
 */
export async function coordinatorUpdate(
  what: string,
  send: () => Promise<unknown>,
  done: () => Promise<boolean>,
  timeoutMs = 180_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await send();
      return;
    } catch (err) {
      if (err instanceof WorkflowUpdateFailedError) {
        // Refused by the workflow's state. After a kill -9 that state can be a step behind what a
        // Query showed (the killed worker answered from state it never got to record), and an Update
        // carried out before the kill hid its outcome may not be recognised by its id: what counts is
        // that the state comes to show it done. A refusal that lasts is the drill's failure.
        if (await done()) return;
        if (Date.now() > deadline)
          throw new Error(`${what}: refused, "${err.cause?.message}"`, { cause: err });
      } else if (Date.now() > deadline) throw new Error(`${what}: ${(err as Error).message}`, { cause: err });
      await sleep(1000);
    }
  }
}

/**
 * A workflow's phase as the server has it (the Phase search attribute, from its history): what a
 * coordinator's lists show, read without a worker, so the drill's own polling adds no workflow tasks.
 * Failures while the server is away are waited out.
 */
export function phaseOf(handle: WorkflowHandle) {
  return handle.describe().then(
    (d) => d.typedSearchAttributes.get(Phase),
    () => undefined,
  );
}

export async function waitForPhase(
  handle: WorkflowHandle,
  phase: RelationshipPhase | 'pool',
  timeoutMs = 180_000,
): Promise<void> {
  await until(
    `${handle.workflowId} in ${phase}`,
    async () => (await phaseOf(handle)) === phase,
    timeoutMs,
    500,
  );
}

export async function acceptAtInterview(handle: WorkflowHandle) {
  await waitForPhase(handle, 'interview');
  await coordinatorUpdate(
    `interview of ${handle.workflowId}`,
    () =>
      handle.executeUpdate(recordInterview, {
        updateId: `drill-interview-${handle.workflowId}`,
        args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
      }),
    async () => !['application', 'endorsement', 'interview'].includes((await phaseOf(handle)) ?? 'interview'),
  );
}

export async function assign(mentor: WorkflowHandle, mentee: WorkflowHandle) {
  await Promise.all([waitForPhase(mentor, 'pool'), waitForPhase(mentee, 'matching')]);
  await coordinatorUpdate(
    `assignment of ${mentee.workflowId}`,
    () =>
      mentor.executeUpdate(assignMentee, {
        updateId: `drill-assign-${mentee.workflowId}`,
        args: [{ relationshipId: mentee.workflowId, by: COORDINATOR }],
      }),
    // A read that fails only means "not known to be done".
    async () =>
      (await statusOf(mentor, mentorStatus).catch(() => undefined))?.relationships.includes(
        mentee.workflowId,
      ) ?? false,
  );
}

/** Waits for the newest email with this subject to `address` and answers the form it links to. */
export async function answerEmail(
  http: HttpLog,
  stack: Stack,
  address: string,
  subject: string,
  answers: Record<string, string | string[]>,
  timeoutMs = 180_000,
): Promise<{ mail: ParsedMail; page: Page }> {
  const mail = await stack.mailbox.waitFor(
    `"${subject}" to ${address}`,
    // A mentor's subjects end with the mentee's name in brackets, a manager's with the applicant's.
    () =>
      stack.mailbox
        .to(address)
        .findLast(
          (m) =>
            m.subject === subject ||
            !!m.subject?.startsWith(`${subject} (`) ||
            !!m.subject?.startsWith(`${subject}: `),
        ),
    timeoutMs,
  );
  const page = await sendForm(http, linkIn(mail, 'f'), answers, subject);
  if (page.status !== 200)
    throw new Error(`"${subject}" of ${address}: ${page.status} ${page.text.slice(0, 200)}`);
  return { mail, page };
}

export { AGREEMENT } from '../../tests/helpers/http.js';

export const EVALUATION = { goals: '5', satisfaction: '5', summary: 'A good year.', trainingNeeds: '' };
