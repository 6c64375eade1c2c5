/**
 * One whole relationship, compressed to seconds, as its people live it: a mentor and a mentee apply over
 * HTTP, the coordinator accepts both and pairs them, both sign the agreement from their emails, the
 * meetings run on the compressed cadence (with a handover to a new run at the mid-point), and both
 * answer the final evaluation. Used by the drills that break things underneath it.
 */
import type { WorkflowHandle } from '@temporalio/client';
import {
  acceptAtInterview,
  AGREEMENT,
  answerEmail,
  applyAsMentee,
  applyAsMentor,
  assign,
  EVALUATION,
  type HttpLog,
} from './people.js';
import { sleep } from './run.js';
import type { Stack } from './stack.js';

/** Four meetings a second apart: a whole programme in about ten seconds on an idle machine. */
export const COMPRESSED = {
  duration: 'PT4S',
  meetingCadence: 'PT1S',
  meetingReminderBefore: 'PT0.5S',
  formReminderAfter: 'PT10M',
  managerEndorsement: false,
};

export interface Relationship {
  mentee: string;
  mentor: string;
  handle: WorkflowHandle;
}

export async function runRelationship(
  http: HttpLog,
  stack: Stack,
  i: number,
  onPhase: (what: string) => void = () => {},
): Promise<Relationship> {
  const mentee = `mentee-${i}@example.org`;
  const mentor = `mentor-${i}@example.org`;
  const [mentorHandle, handle] = await Promise.all([
    applyAsMentor(http, stack, mentor, `Mentor ${i}`),
    applyAsMentee(http, stack, mentee, `Mentee ${i}`),
  ]);
  onPhase('applied');
  await Promise.all([acceptAtInterview(mentorHandle), acceptAtInterview(handle)]);
  await assign(mentorHandle, handle);
  onPhase('paired');
  await Promise.all(
    [mentee, mentor].map((who) => answerEmail(http, stack, who, 'Your mentoring agreement', AGREEMENT)),
  );
  onPhase('signed');
  await Promise.all(
    [mentee, mentor].map((who) => answerEmail(http, stack, who, 'Final evaluation', EVALUATION, 300_000)),
  );
  onPhase('evaluated');
  return { mentee, mentor, handle };
}

/** Every answer the API accepted is in the database: applications and form answers, by workflow. */
export async function acceptedButMissing(stack: Stack, relationships: Relationship[]): Promise<string[]> {
  const missing: string[] = [];
  for (const r of relationships) {
    const ids = [r.handle.workflowId];
    const [{ n: applications }] = (await stack.sql`
      select count(*)::int as n from applications where workflow_id = ${r.handle.workflowId}`) as unknown as [
      { n: number },
    ];
    if (applications !== 1) missing.push(`${r.mentee}: ${applications} applications`);
    const steps = await stack.sql<{ step_id: string }[]>`
      select step_id from form_submissions where workflow_id = any(${ids})`;
    const have = new Set(steps.map((s) => s.step_id));
    for (const step of [
      'pairing-1/agreement/mentee',
      'pairing-1/agreement/mentor',
      'pairing-1/final-evaluation/mentee',
      'pairing-1/final-evaluation/mentor',
    ])
      if (!have.has(step)) missing.push(`${r.mentee}: ${step}`);
  }
  return missing;
}

/**
 * How the relationships ended, once their last forms are answered: each completed, or why not; what
 * was accepted but not stored; which emails were delivered twice.
 */
export async function settle(stack: Stack, relationships: Relationship[], killedAt: number[] = []) {
  const outcomes = await Promise.all(
    relationships.map((r) =>
      Promise.race([
        r.handle.result().then(String, (err: Error) => `failed: ${err.message}`),
        sleep(180_000).then(() => 'still running'),
      ]),
    ),
  );
  const completed = outcomes.filter((o) => o === 'completed').length;
  const missing = await acceptedButMissing(stack, relationships);
  // SMTP has no exactly-once: a worker killed while the server is taking a message never hears that it
  // did, and the retry sends it again (same Message-ID). Such a copy began to arrive just before a
  // kill; any other second copy is a bug.
  const inFlightAtKill = ([, , arrivals]: [string, number, number[]]) =>
    killedAt.some((k) => arrivals[0]! <= k && k - arrivals[0]! <= IN_FLIGHT_MS);
  const all = stack.mailbox.duplicates();
  const duplicates = all.filter((d) => !inFlightAtKill(d));
  const resentAfterKill = all.filter(inFlightAtKill);
  return {
    completed,
    lost: relationships.length - completed + missing.length,
    duplicates: duplicates.length,
    resentAfterKill: resentAfterKill.length,
    problems: [
      ...outcomes.flatMap((o, i) => (o === 'completed' ? [] : [`relationship ${i}: ${o}`])),
      ...missing.map((m) => `accepted but not stored: ${m}`),
      ...duplicates.map(
        ([id, n, arrivals]) => `email ${id} delivered ${n} times${sinceKill(arrivals, killedAt)}`,
      ),
    ],
    notes: resentAfterKill.map(
      ([id, n, arrivals]) => `email ${id} delivered ${n} times${sinceKill(arrivals, killedAt)}`,
    ),
  };
}

/** How long before a kill an email may have begun to arrive and still been in the SMTP server's hands. */
const IN_FLIGHT_MS = 2_000;

/** Where each copy's arrival lies against the nearest kill: ", copies at kill 1 −0.4 s, +31.2 s". */
function sinceKill(arrivals: number[], killedAt: number[]): string {
  if (!killedAt.length) return '';
  const nearest = killedAt.reduce(
    (best, k, i) => (Math.abs(k - arrivals[0]!) < Math.abs(killedAt[best]! - arrivals[0]!) ? i : best),
    0,
  );
  const at = killedAt[nearest]!;
  const times = arrivals.map((a) => `${a >= at ? '+' : '−'}${(Math.abs(a - at) / 1000).toFixed(1)} s`);
  return `, copies at kill ${nearest + 1} ${times.join(', ')}`;
}
