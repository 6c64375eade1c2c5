/**
 * Benchmark: requests per second serving participant form pages (the public application form, and a
 * form opened from an emailed link, which also asks the workflow which step is open), next to a bare
 * Fastify hello-world route in the same API process, in the same run. The load comes from this
 * process (autocannon); the API is its own process. `npm run bench:form-page [-- --short]`
 */
import { linkIn } from '../drills/support/mailbox.js';
import { applyAsMentee, HttpLog } from '../drills/support/people.js';
import { main, progress, short } from '../drills/support/run.js';
import { startWebStack } from './support/web-stack.js';
import { httpLoad, ms, ratio, table, goals, atLeast } from './support/measure.js';

export async function benchFormPage(): Promise<string> {
  const { stack, helloUrl } = await startWebStack({ managerEndorsement: true, formReminderAfter: 'PT10M' });
  await applyAsMentee(new HttpLog(), stack, 'bench@example.org', 'Bench Mark');
  const mail = await stack.mailbox.waitFor('the endorsement request', () =>
    stack.mailbox.to('manager.bench@example.org').at(0),
  );
  const seconds = short ? 3 : 10;
  const targets = [
    ['bare Fastify hello world (baseline)', helloUrl],
    [
      'application form page (kept a few seconds: the programme, the page)',
      `${stack.baseUrl}/programs/${stack.programId}/apply`,
    ],
    [
      'form page from an emailed link, reloaded (signature, status kept a few seconds, SQL, render)',
      linkIn(mail, 'f'),
    ],
  ] as const;
  const rows: (string | number)[][] = [];
  const perSecond: number[] = [];
  let baseline = 0;
  for (const [name, url] of targets) {
    await httpLoad(url, 1); // warm up: JIT, connection pools, template caches
    const m = await httpLoad(url, seconds);
    progress(`${name}: ${m.perSecond.toFixed(0)} req/s, ${m.errors} errors`);
    if (m.errors) throw new Error(`${name}: ${m.errors} failed requests`);
    baseline ||= m.perSecond;
    perSecond.push(m.perSecond);
    rows.push([name, m.perSecond, ms(m.p50), ms(m.p99), Math.round(m.bytes), ratio(m.perSecond, baseline)]);
  }
  const [hello, application, link] = perSecond as [number, number, number];
  return [
    table(
      ['GET, 16 connections, ' + seconds + ' s each', 'req/s', 'p50', 'p99', 'bytes', 'vs. hello world'],
      rows,
    ),
    goals([
      atLeast('form page from an emailed link, req/s vs. hello world', link / hello, 0.2),
      atLeast('application form page, req/s vs. hello world', application / hello, 0.3),
    ]),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(async () => {
    process.stdout.write(`${await benchFormPage()}\n`);
    return true;
  });
