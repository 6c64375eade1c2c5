/**
 * Drill: stop PostgreSQL (the drill's own cluster, `pg_ctl stop -m fast`) for 30 seconds while
 * applicants send applications and managers answer endorsement forms from their emails. A page
 * answered during the outage must be a clear "try again" page or an accepted answer; each person sends
 * the same form again (same submission id, as a browser's resend) until it is accepted. At the end
 * every accepted answer is stored exactly once, and no email went out twice. While it is down the
 * API's and the worker's /readyz say 503 (database unavailable); after, 200 again.
 * `npm run drill:pg-outage [-- --short] [--count N] [--down SECONDS]`
 */
import { menteeAnswers } from '../tests/helpers/http.js';
import { linkIn } from './support/mailbox.js';
import { HttpLog, sendForm, workflowOf } from './support/people.js';
import { relationshipStatus } from '../workflows/messages.js';
import { main, option, pool, progress, short, sleep, until } from './support/run.js';
import { startStack } from './support/stack.js';
import { verdict } from './support/verdict.js';
import { statusOf } from '../services/workflow-status.js';
import { freePort } from '../platform/temporal/dev-server.js';

const ENDORSEMENT = { endorse: 'yes', comment: 'A good fit.' };

main(async () => {
  const count = option('count', short ? 30 : 120);
  const downSeconds = option('down', short ? 10 : 30);
  const workerHealth = await freePort();
  const stack = await startStack({
    settings: { managerEndorsement: true, formReminderAfter: 'PT10M' },
    workerEnv: { WORKER_HEALTH_PORT: String(workerHealth) },
  });
  // What a load balancer and an orchestrator ask: the API's and the worker's readiness.
  const probes = [`${stack.apiUrls[0]}/readyz`, `http://127.0.0.1:${workerHealth}/readyz`];
  const readiness = () =>
    Promise.all(
      probes.map((url) =>
        fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
          async (r) => `${r.status} ${JSON.stringify(await r.json())}`,
          (err: Error) => `no answer (${err.message})`,
        ),
      ),
    );
  const http = new HttpLog();
  const problems: string[] = [];
  // Applications spread over the time before, during and after the outage.
  const spreadMs = (downSeconds + 20) * 1000;
  const accepted = { applications: 0, endorsements: 0, duringOutage: 0 };
  let down = false;
  // A person keeps sending the same form until it is accepted, for as long as a patient person would.
  const patience = Math.ceil(downSeconds * 2 + 120);

  const applicants = pool(
    Array.from({ length: count }, (_, i) => i),
    count,
    (i) =>
      applicant(i).catch(async (err: Error) => {
        problems.push(`applicant ${i}: ${err.message}; ${await stuck(`applicant-${i}@example.org`)}`);
      }),
  );

  async function applicant(i: number) {
    await sleep((spreadMs * i) / count);
    const email = `applicant-${i}@example.org`;
    const page = await sendForm(
      http,
      `${stack.baseUrl}/programs/${stack.programId}/apply`,
      menteeAnswers({ email, name: `Applicant ${i}`, managerEmail: `manager-${i}@example.org` }),
      `application ${i}`,
      patience,
    );
    if (page.status !== 200 && page.status !== 202) {
      problems.push(`application ${i}: ${page.status} ${page.text.slice(0, 120)}`);
      return;
    }
    accepted.applications++;
    if (down) accepted.duringOutage++;
    // The manager answers the endorsement form from their email as soon as it arrives.
    const manager = `manager-${i}@example.org`;
    const mail = await stack.mailbox
      .waitFor(
        `endorsement request to ${manager}`,
        // The subject names the applicant after a colon.
        () =>
          stack.mailbox
            .to(manager)
            .find((m) => !!m.subject?.startsWith('Please endorse a mentoring application')),
        240_000,
      )
      .catch(async () => {
        problems.push(
          `application ${i}: no endorsement request to ${manager} within 4 minutes; ${await stuck(email)}`,
        );
        return undefined;
      });
    if (!mail) return;
    const answer = await sendForm(http, linkIn(mail, 'f'), ENDORSEMENT, `endorsement ${i}`, patience);
    if (answer.status !== 200)
      problems.push(`endorsement ${i}: ${answer.status} ${answer.text.slice(0, 120)}`);
    else {
      accepted.endorsements++;
      if (down) accepted.duringOutage++;
    }
  }

  /** Where the applicant's workflow stands: its phase and the activity it is retrying, with the last failure. */
  async function stuck(email: string): Promise<string> {
    try {
      const handle = stack.client.workflow.getHandle(await workflowOf(stack, email, 'mentee', 0));
      const { raw } = await handle.describe();
      const pending = (raw.pendingActivities ?? []).map(
        (a) => `${a.activityType?.name} attempt ${a.attempt}: ${a.lastFailure?.message ?? 'no failure yet'}`,
      );
      const status = await statusOf(handle, relationshipStatus);
      return `${handle.workflowId} in ${status.phase}, pending: ${pending.join('; ') || 'none'}`;
    } catch (err) {
      return `(could not look: ${(err as Error).message})`;
    }
  }

  await sleep(3_000);
  progress(
    `stopping PostgreSQL for ${downSeconds} s (${accepted.applications} applications accepted so far)`,
  );
  const outage = http.outage();
  down = true;
  stack.pg.stop();
  await sleep(downSeconds * 1000);
  const whileDown = await readiness();
  for (const [i, answer] of whileDown.entries())
    if (!/^503 .*"database":"unavailable"/.test(answer))
      problems.push(`${probes[i]} while PostgreSQL was down: ${answer}`);
  stack.pg.start();
  down = false;
  outage.end();
  progress(`PostgreSQL started again; ${http.tryAgain} "try again" pages so far`);
  const readyAgain = await until(
    'the API and the worker to be ready again',
    async () => ((await readiness()).every((a) => a.startsWith('200 ')) ? true : undefined),
    30_000,
  ).catch(async () => {
    problems.push(`not ready 30 s after PostgreSQL came back: ${(await readiness()).join('; ')}`);
    return false;
  });
  await applicants;

  // What was accepted is stored exactly once: one application per applicant, one endorsement per manager.
  const stored = await until(
    'every endorsement stored',
    async () => {
      const rows = await stack.sql<{ applications: number; endorsements: number }[]>`
        select (select count(*)::int from applications where program_id = ${stack.programId}) as applications,
               (select count(*)::int from form_submissions where step_id = 'endorsement') as endorsements`;
      const r = rows[0]!;
      return r.endorsements >= accepted.endorsements ? r : undefined;
    },
    60_000,
  ).catch(() => undefined);
  const duplicates = stack.mailbox.duplicates();
  const [{ repeated }] = (await stack.sql`
    select count(*)::int as repeated from (
      select participant_id from applications where program_id = ${stack.programId}
      group by participant_id having count(*) > 1) x`) as unknown as [{ repeated: number }];
  const lost =
    accepted.applications -
    Math.min(stored?.applications ?? 0, accepted.applications) +
    accepted.endorsements -
    Math.min(stored?.endorsements ?? 0, accepted.endorsements);
  if (!stored) problems.push('accepted endorsements did not all reach the database within a minute');
  const ok =
    problems.length === 0 &&
    lost === 0 &&
    repeated === 0 &&
    duplicates.length === 0 &&
    http.serverErrors.length === 0 &&
    accepted.applications === count &&
    accepted.endorsements === count;
  return verdict(
    'pg-outage',
    `${count} applicants and ${count} managers, PostgreSQL down ${downSeconds} s: ` +
      `${accepted.applications + accepted.endorsements} answers accepted (${accepted.duringOutage} while it was down), ` +
      `${lost} lost, ${repeated} stored twice, ${http.tryAgain} "try again" pages, ` +
      `${http.serverErrors.length} other 5xx, ${duplicates.length} duplicate emails (HTTP ${http.summary()}); ` +
      `/readyz of API and worker while down: ${whileDown.map((a) => a.slice(0, 3)).join(', ')}, after: ${readyAgain ? '200' : 'not ready'}`,
    ok,
    [...problems, ...duplicates.map(([id, n]) => `email ${id} delivered ${n} times`), ...http.serverErrors],
    stack,
  );
});
