/**
 * Benchmark: a form submission's full path (HTTP POST, validation, the Temporal Update with the
 * answers stored by an activity, the page back) measured from a browser's side, next to a bare
 * `executeUpdate` on a workflow that does nothing, against the same dev server in the same run.
 * Two kinds of submission: an application (update-with-start: it also starts the workflow) and a
 * manager's endorsement from an emailed link (an Update on a running workflow).
 * `npm run bench:submission [-- --short]`
 */
import { randomUUID } from 'node:crypto';
import { Browser, hiddenValue, menteeAnswers } from '../tests/helpers/http.js';
import { linkIn } from '../drills/support/mailbox.js';
import { main, pool, progress, short } from '../drills/support/run.js';
import { ping, trivialWorkflow } from './support/trivial-workflows.js';
import { startWebStack } from './support/web-stack.js';
import { closedLoop, ms, ratio, table, goals, atMost } from './support/measure.js';

const CONCURRENCY = 8;

export async function benchSubmission(): Promise<string> {
  const count = short ? 40 : 300;
  const { stack, bare, trivialQueue } = await startWebStack({
    managerEndorsement: true,
    formReminderAfter: 'PT10M',
  });

  // Baseline: executeUpdate on trivial workflows (one per caller), default converter.
  const trivial = await Promise.all(
    Array.from({ length: CONCURRENCY }, () =>
      bare.workflow.start(trivialWorkflow, { workflowId: `bench-${randomUUID()}`, taskQueue: trivialQueue }),
    ),
  );
  await closedLoop(20, CONCURRENCY, (i) => trivial[i % CONCURRENCY]!.executeUpdate(ping, { args: ['warm'] }));
  const baseline = await closedLoop(count, CONCURRENCY, (i) =>
    trivial[i % CONCURRENCY]!.executeUpdate(ping, { args: [String(i)] }),
  );
  progress(`bare executeUpdate: ${baseline.perSecond.toFixed(1)}/s`);

  // Applications: the form is fetched first (not timed), the POST is what is measured.
  const applyUrl = `${stack.baseUrl}/programs/${stack.programId}/apply`;
  const forms = await pool(
    Array.from({ length: count }, (_, i) => i),
    CONCURRENCY,
    async () => {
      const browser = new Browser();
      return { browser, submissionId: hiddenValue(await browser.get(applyUrl), 'submissionId') };
    },
  );
  const applications = await closedLoop(count, CONCURRENCY, async (i) => {
    const { browser, submissionId } = forms[i]!;
    const page = await browser.post(applyUrl, {
      ...menteeAnswers({ email: `bench-${i}@example.org`, managerEmail: `manager-${i}@example.org` }),
      submissionId,
    });
    if (page.status !== 200) throw new Error(`application ${i}: ${page.status} ${page.text.slice(0, 200)}`);
  });
  progress(`applications: ${applications.perSecond.toFixed(1)}/s`);

  // Endorsements from the managers' emails.
  const links = await pool(
    Array.from({ length: count }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const mail = await stack.mailbox.waitFor(`endorsement request ${i}`, () =>
        stack.mailbox.to(`manager-${i}@example.org`).at(0),
      );
      const browser = new Browser();
      const link = linkIn(mail, 'f');
      return { browser, link, submissionId: hiddenValue(await browser.get(link), 'submissionId') };
    },
  );
  const endorsements = await closedLoop(count, CONCURRENCY, async (i) => {
    const { browser, link, submissionId } = links[i]!;
    const page = await browser.post(link, { endorse: 'yes', comment: '', submissionId });
    if (page.status !== 200) throw new Error(`endorsement ${i}: ${page.status} ${page.text.slice(0, 200)}`);
  });
  progress(`endorsements: ${endorsements.perSecond.toFixed(1)}/s`);

  const row = (name: string, m: typeof baseline) => [
    name,
    m.perSecond,
    ms(m.p50),
    ms(m.p99),
    ratio(m.p50, baseline.p50),
    ratio(m.perSecond, baseline.perSecond),
  ];
  const measured = table(
    [`${count} each, ${CONCURRENCY} at a time`, 'per s', 'p50', 'p99', 'p50 vs. bare', 'throughput vs. bare'],
    [
      row('bare executeUpdate, trivial workflow (baseline)', baseline),
      row('application: POST → validation → update-with-start → stored → page', applications),
      row(
        'endorsement from an emailed link: POST → status (kept from its page) → validation → Update → stored → page',
        endorsements,
      ),
    ],
  );
  return [
    measured,
    goals([
      atMost('application submit p50 vs. bare executeUpdate p50', applications.p50 / baseline.p50, 2),
      atMost(
        'endorsement (emailed link) submit p50 vs. bare executeUpdate p50',
        endorsements.p50 / baseline.p50,
        1.5,
      ),
    ]),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(async () => {
    process.stdout.write(`${await benchSubmission()}\n`);
    return true;
  });
