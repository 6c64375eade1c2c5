/** Steps of a programme as its people take them, over real HTTP and real email. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils.js';
import type { WorkflowHandle } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';
import { projectRoot } from '../../platform/project.js';
import { decodeHistoryJson } from '../../platform/temporal/history-codec.js';
import { assignMentee, mentorStatus, recordInterview, relationshipStatus } from '../../workflows/messages.js';
import type { ParsedMail } from 'mailparser';
import { expect, inject } from 'vitest';
import { AGREEMENT, Browser, hiddenValue, menteeAnswers, mentorAnswers } from './http.js';

export { AGREEMENT };
import { TEST_PROGRAMME_SETTINGS, type Stack } from './stack.js';

/** Applies through the public form at `programs/<id>/<path>`; returns the workflow the application started. */
async function apply(
  stack: Stack,
  path: 'apply' | 'mentor',
  answers: Record<string, string | string[]>,
  programId: string,
) {
  const browser = new Browser();
  const url = `${stack.baseUrl}/programs/${programId}/${path}`;
  const form = await browser.get(url);
  const res = await browser.post(url, { ...answers, submissionId: hiddenValue(form, 'submissionId') });
  expect(res.status, res.text).toBe(200);
  // The workflow id is the business key the API made of the participant (the answers are stored a moment
  // after the receipt).
  const [row] = await stack.sql<{ id: string }[]>`
    select id from participants where email = ${String(answers.email).toLowerCase()} and program_id = ${programId}`;
  return { workflowId: `${path === 'apply' ? 'relationship' : 'mentor'}-${programId}-${row!.id}` };
}

export function applyAsMentee(
  stack: Stack,
  overrides: Record<string, string | string[]> = {},
  programId = stack.programId,
) {
  return apply(stack, 'apply', menteeAnswers(overrides), programId);
}

export function applyAsMentor(
  stack: Stack,
  overrides: Record<string, string | string[]> = {},
  programId = stack.programId,
) {
  return apply(stack, 'mentor', mentorAnswers(overrides), programId);
}

const addressed = (m: ParsedMail, address: string) =>
  [m.to ?? []].flat().some((to) => to.value.some((v) => v.address?.toLowerCase() === address));

/** Waits until `address` has received `count` emails and returns them in the order they arrived. */
export async function mailTo(
  stack: Stack,
  address: string,
  count: number,
  timeoutMs = 20_000,
): Promise<ParsedMail[]> {
  const all = await stack.smtp.waitFor(
    (m) => m.filter((x) => addressed(x, address)).length >= count,
    timeoutMs,
  );
  return all.filter((x) => addressed(x, address));
}

export function linkIn(mail: ParsedMail, kind: 's' | 'f' | 'm'): string {
  const link = new RegExp(`(http\\S+/${kind}/\\S+)`).exec(mail.text ?? '')?.[1];
  if (!link) throw new Error(`no /${kind}/ link in "${mail.subject}"`);
  return link;
}

/** Opens a form link and sends it with these answers; returns the page the person sees. */
export async function answerForm(link: string, answers: Record<string, string | string[]>) {
  const browser = new Browser();
  const form = await browser.get(link);
  expect(form.status, form.text).toBe(200);
  return browser.post(link, { ...answers, submissionId: hiddenValue(form, 'submissionId') });
}

/** The histories of every run of a workflow, oldest first, found by following each run back to the one it continued. */
export async function runHistories(
  stack: Stack,
  workflowId: string,
): Promise<temporal.api.history.v1.IHistory[]> {
  const runs: temporal.api.history.v1.IHistory[] = [];
  let runId: string | undefined = (await stack.client.workflow.getHandle(workflowId).describe()).runId;
  while (runId) {
    const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
    runs.unshift(history);
    runId =
      history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
  }
  return runs;
}

/**
 * Every run's recorded history replays against today's workflow code. With RECORD_HISTORIES=1 the
 * histories are also written to tests/histories/<name>.json (<name>.run-<n>.json when the workflow
 * continued as new), which the replay test keeps replaying.
 */
export async function expectReplays(stack: Stack, workflowId: string, name?: string): Promise<void> {
  const runs = await runHistories(stack, workflowId);
  for (const [i, history] of runs.entries()) {
    await Worker.runReplayHistory(
      { workflowBundle: { code: inject('workflowBundleCode') }, dataConverter: stack.shared.dataConverter },
      history,
      `${workflowId} run ${i + 1}`,
    );
    if (name && process.env.RECORD_HISTORIES === '1') {
      // Written decoded, so the recorded history replays without this run's keys.
      const file = runs.length === 1 ? `${name}.json` : `${name}.run-${i + 1}.json`;
      const json = await decodeHistoryJson(JSON.parse(historyToJSON(history)), stack.shared.codec);
      writeFileSync(join(historiesDir, file), JSON.stringify(json, null, 2) + '\n');
    }
  }
}

export const historiesDir = join(projectRoot, 'tests', 'histories');

/** The coordinator in tests: an id, as the admin pages will send it. */
export const COORDINATOR = { userId: '00000000-0000-4000-8000-00000000c00d' };

/** A mentor who applied, was interviewed and accepted: in the pool with the given capacity. */
export async function pooledMentor(stack: Stack, email: string, name: string, capacity = '2') {
  const { workflowId } = await applyAsMentor(stack, { email, name, capacity });
  const handle = stack.client.workflow.getHandle(workflowId);
  await expect.poll(async () => (await handle.query(mentorStatus)).phase).toBe('interview');
  await handle.executeUpdate(recordInterview, {
    args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
  });
  await expect.poll(async () => (await handle.query(mentorStatus)).phase).toBe('pool');
  return handle;
}

/** A mentee who applied, was accepted at interview and assigned to `mentor`. */
export async function matchedMentee(stack: Stack, email: string, mentor: WorkflowHandle) {
  const { workflowId } = await applyAsMentee(stack, { email, name: `Mentee ${email}` });
  const handle = stack.client.workflow.getHandle(workflowId);
  await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('interview');
  await handle.executeUpdate(recordInterview, {
    args: [{ outcome: 'accepted', reason: '', by: COORDINATOR }],
  });
  await expect.poll(async () => (await handle.query(relationshipStatus)).phase).toBe('matching');
  await mentor.executeUpdate(assignMentee, { args: [{ relationshipId: workflowId, by: COORDINATOR }] });
  return handle;
}

/** Answers the newest email with this subject among the first `count` sent to `address`. */
export async function answerLatest(
  stack: Stack,
  address: string,
  subject: string,
  answers: Record<string, string>,
  count: number,
) {
  const mails = await mailTo(stack, address, count);
  const mail = mails.filter((m) => subjectIs(m.subject, subject)).at(-1);
  expect(mail, `${subject} to ${address}`).toBeTruthy();
  const page = await answerForm(linkIn(mail!, 'f'), answers);
  expect(page.status, page.text).toBe(200);
}

/**
 * A subject without the person it names: a mentor's emails end with the mentee's name in brackets, a
 * manager's and the coordinator's with the applicant's after a colon. Tests that follow one email type
 * compare the rest; tests of the names themselves read the whole subject.
 */
export function subjectIs(actual: string | undefined, expected: string): boolean {
  const subject = actual ?? '';
  return (
    subject === expected ||
    subject.replace(/ \([^()]*\)$/, '') === expected ||
    subject.replace(/: [^:]*$/, '') === expected
  );
}

export function waitForMail(stack: Stack, address: string, subject: string, timeoutMs = 30_000) {
  return stack.smtp.waitFor(
    (all) => all.some((m) => subjectIs(m.subject, subject) && addressed(m, address)),
    timeoutMs,
  );
}

/** Gives the stack's programme these settings (compressed durations, say) for relationships started after. */
export async function useSettings(stack: Stack, settings: Record<string, unknown>): Promise<void> {
  const all = { ...TEST_PROGRAMME_SETTINGS, ...settings };
  await stack.sql`update programs set settings = ${stack.sql.json(all as never)} where id = ${stack.programId}`;
  // Changed behind the pages' back: the API is told, as a change through its admin pages tells it.
  stack.app.memory.programmes.forget();
}

/** A mentor pooled, a mentee matched with them, and the agreement signed by both: the meetings begin. */
export async function signedPair(stack: Stack, menteeEmail: string, mentorEmail: string, mentorName: string) {
  const mentor = await pooledMentor(stack, mentorEmail, mentorName);
  const relationship = await matchedMentee(stack, menteeEmail, mentor);
  await answerLatest(stack, menteeEmail, 'Your mentoring agreement', AGREEMENT, 4);
  await answerLatest(stack, mentorEmail, 'Your mentoring agreement', AGREEMENT, 4);
  // The kickoff goes out a moment before the workflow publishes its first meeting: wait for that too.
  await expect
    .poll(async () => {
      const meetings = (await relationship.query(relationshipStatus)).meetings;
      return !!meetings && (meetings.planned === 0 || meetings.nextAt !== undefined);
    })
    .toBe(true);
  return { mentor, relationship };
}

/** One relationship's row of the programme's CSV, as the coordinator downloads it: its cells by column name. */
export async function csvRowOf(coordinator: Browser, stack: Stack, workflowId: string) {
  const csv = (
    await coordinator.get(`${stack.baseUrl}/admin/programs/${stack.programId}/relationships.csv`)
  ).html
    .trim()
    .split('\n')
    .map((line) => line.split(','));
  const row = csv.find((cells) => cells.includes(workflowId))!;
  return (column: string) => row[csv[0]!.indexOf(column)];
}
