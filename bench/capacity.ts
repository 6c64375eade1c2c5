/**
 * Benchmark: one worker process holding 10,000 open relationships in their meetings (a compressed
 * programme: a meeting every ten minutes), its memory, and how late the meeting reminders fire. Each
 * relationship starts as a run that a handover would start (carried state: paired, meetings under way),
 * so the bench spends its time on holding and timers rather than on the applications. Once all have
 * started, their first reminders fall due one after another at `--rate` per second (2: some 5,000
 * times the rate of 10,000 real monthly relationships); the bench measures those due within a window,
 * and lag is the time from when a reminder was due to when its email entered the outbox.
 * `npm run bench:capacity [-- --short] [--count N] [--rate R]`
 */
import { randomUUID } from 'node:crypto';
import { main, option, pool, progress, quantile, short, sleep } from '../drills/support/run.js';
import { startStack } from '../drills/support/stack.js';
import { programSettings } from '../services/program-settings.js';
import { temporalConfig } from '../temporal.config.js';
import type { CarriedRelationship } from '../workflows/relationship.js';
import { Phase, ProgramId, WaitingFor } from '../workflows/search-attributes.js';
import { ms, table, goals } from './support/measure.js';

const CADENCE_MS = 10 * 60_000;
const REMINDER_BEFORE_MS = 60_000;
const MiB = 1024 * 1024;

export async function benchCapacity(): Promise<string> {
  const count = option('count', short ? 1_000 : 10_000);
  const rate = option('rate', 2);
  const windowMs = (short ? 60 : 180) * 1000;
  // Emails go to the development mailbox (the outbox table): the bench measures the worker, not SMTP.
  const stack = await startStack({
    noApi: true,
    smtp: false,
    settings: {},
  });
  const settings = programSettings({
    duration: 'PT2H',
    meetingCadence: 'PT10M',
    meetingReminderBefore: 'PT1M',
    formReminderAfter: 'PT1H',
    managerEndorsement: false,
  });
  const mentor = randomUUID();
  await stack.sql`insert into participants (id, program_id, email, name) values (${mentor}, ${stack.programId}, 'mentor@example.org', 'Mentor')`;
  const mentees = Array.from({ length: count }, () => randomUUID());
  for (let i = 0; i < count; i += 1000) {
    const rows = mentees.slice(i, i + 1000).map((id, j) => ({
      id,
      program_id: stack.programId,
      email: `mentee-${i + j}@example.org`,
      name: `Mentee ${i + j}`,
    }));
    await stack.sql`insert into participants ${stack.sql(rows)}`;
  }

  // Starting takes a while (some 20 a second here); the first reminders fall due after it.
  const startBudgetMs = 30_000 + (count / 15) * 1000;
  const firstDue = Date.now() + startBudgetMs;
  const due = new Map<string, number>();
  const started = performance.now();
  const rss: number[] = [];
  const sampler = setInterval(() => {
    try {
      rss.push(stack.worker.rssBytes());
    } catch {
      /* the worker is gone: reported below */
    }
  }, 2000);
  await pool(mentees, 32, async (participantId, i) => {
    const reminderAt = firstDue + (i / rate) * 1000;
    const kickoff = new Date(reminderAt + REMINDER_BEFORE_MS - CADENCE_MS);
    const workflowId = `relationship-${stack.programId}-${participantId}`;
    if (reminderAt <= firstDue + windowMs)
      due.set(`${workflowId}/pairing-1/meeting-1/reminder/mentee`, reminderAt);
    const carried: CarriedRelationship = {
      status: {
        programId: stack.programId,
        phase: 'meetings',
        waitingFor: 'nobody',
        application: {
          reference: participantId.slice(0, 8).toUpperCase(),
          submittedAt: new Date().toISOString(),
        },
        mentor: { mentorWorkflowId: `mentor-${stack.programId}-${mentor}`, mentorParticipantId: mentor },
        meetings: { number: 0, planned: 12, held: 0 },
      },
      pairing: 1,
      schedule: { kickoff: kickoff.toISOString(), next: 1, held: [] },
      pause: { ms: 0 },
      steps: { open: [], answered: [] },
    };
    await stack.client.workflow.start('relationshipWorkflow', {
      workflowId,
      taskQueue: stack.taskQueue,
      args: [{ programId: stack.programId, participantId, settings, carried }],
      typedSearchAttributes: [
        { key: ProgramId, value: stack.programId },
        { key: Phase, value: 'meetings' },
        { key: WaitingFor, value: 'nobody' },
      ],
    });
    if ((i + 1) % 1000 === 0)
      progress(`${i + 1} started, worker RSS ${(stack.worker.rssBytes() / MiB).toFixed(0)} MiB`);
  });
  const startSeconds = (performance.now() - started) / 1000;
  const rssHolding = stack.worker.rssBytes();
  progress(`all ${count} started in ${startSeconds.toFixed(0)} s; waiting for the reminders`);
  if (Date.now() > firstDue)
    progress('(starting took longer than planned: the first reminders fired while starting)');

  // Wait for the window to pass, then until every first reminder is in the outbox (or 5 minutes more).
  await sleep(Math.max(0, firstDue + windowMs - Date.now()));
  const keys = [...due.keys()];
  const deadline = Date.now() + 300_000;
  const fired = () => stack.sql<{ key: string; at: Date }[]>`
    select idempotency_key as key, created_at as at from email_outbox where idempotency_key = any(${keys})`;
  let rows = await fired();
  while (rows.length < keys.length && Date.now() < deadline) {
    progress(`${rows.length} of ${keys.length} reminders due in the window are out`);
    await sleep(5000);
    rows = await fired();
  }
  clearInterval(sampler);
  const lags = rows.map((r) => r.at.getTime() - due.get(r.key)!);
  // The worker process reads the same environment (temporal.config.ts).
  const cache = temporalConfig().workflowCacheSize;
  const measured = table(
    ['one worker process', 'value'],
    [
      ['open relationships held', count.toLocaleString('en')],
      ['started (carried into their meetings) per second', (count / startSeconds).toFixed(0)],
      ['worker RSS while holding them, before the reminders', `${(rssHolding / MiB).toFixed(0)} MiB`],
      ['worker RSS, highest sampled', `${(Math.max(...rss) / MiB).toFixed(0)} MiB`],
      [
        `workflow cache (WORKER_WORKFLOW_CACHE${process.env.WORKER_WORKFLOW_CACHE ? '' : ', the default'})`,
        cache ? `${cache.toLocaleString('en')} workflows` : 'none: each task replays its history',
      ],
      [
        `meeting reminders due in a ${windowMs / 1000} s window`,
        `${keys.length}, ${rate}/s (each: 2 emails, then a log form)`,
      ],
      ['of them fired', `${rows.length}`],
      ['lag, p50', ms(quantile(lags, 0.5))],
      ['lag, p99', ms(quantile(lags, 0.99))],
      ['lag, worst', ms(Math.max(...lags))],
    ],
  );
  const highest = Math.max(...rss);
  const lagP99 = quantile(lags, 0.99);
  return [
    measured,
    goals([
      {
        what: `highest worker RSS holding ${count.toLocaleString('en')} relationships`,
        measured: `${Math.round(highest / MiB).toLocaleString('en')} MiB`,
        target: '≤ 1,024 MiB',
        met: highest <= 1024 * MiB,
      },
      {
        what: 'reminder lag p99, every reminder fired',
        measured: `${ms(lagP99)}, ${rows.length} of ${keys.length}`,
        target: '≤ 2 s, all',
        met: lagP99 <= 2000 && rows.length === keys.length,
      },
    ]),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(async () => {
    process.stdout.write(`${await benchCapacity()}\n`);
    return true;
  });
