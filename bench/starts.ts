/**
 * Benchmark: relationship workflows started per second (through the app's client: encrypted input
 * with a data key of its own per workflow, search attributes, the worker running its first task)
 * next to a workflow that does nothing (the SDK's default client), same dev server, same run.
 * `npm run bench:starts [-- --short]`
 */
import { randomUUID } from 'node:crypto';
import { main, progress, short } from '../drills/support/run.js';
import { programSettings } from '../services/program-settings.js';
import { Phase, ProgramId, WaitingFor } from '../workflows/search-attributes.js';
import { trivialWorkflow } from './support/trivial-workflows.js';
import { startWebStack } from './support/web-stack.js';
import { closedLoop, ms, ratio, table } from './support/measure.js';

const CONCURRENCY = 16;

export async function benchStarts(): Promise<string> {
  const count = short ? 200 : 2000;
  const { stack, bare, trivialQueue } = await startWebStack({});
  const settings = programSettings({});
  const trivial = () =>
    bare.workflow.start(trivialWorkflow, { workflowId: `bench-${randomUUID()}`, taskQueue: trivialQueue });
  const relationship = () =>
    stack.client.workflow.start('relationshipWorkflow', {
      workflowId: `relationship-${stack.programId}-${randomUUID()}`,
      taskQueue: stack.taskQueue,
      args: [{ programId: stack.programId, participantId: randomUUID(), settings }],
      typedSearchAttributes: [
        { key: ProgramId, value: stack.programId },
        { key: Phase, value: 'application' },
        { key: WaitingFor, value: 'participant' },
      ],
    });
  await closedLoop(20, CONCURRENCY, trivial);
  await closedLoop(20, CONCURRENCY, relationship);
  const base = await closedLoop(count, CONCURRENCY, trivial);
  progress(`trivial: ${base.perSecond.toFixed(0)}/s`);
  const rel = await closedLoop(count, CONCURRENCY, relationship);
  progress(`relationship: ${rel.perSecond.toFixed(0)}/s`);
  return table(
    [`${count} starts, ${CONCURRENCY} at a time`, 'starts/s', 'p50', 'p99', 'vs. trivial'],
    [
      ['trivial workflow, SDK defaults (baseline)', base.perSecond, ms(base.p50), ms(base.p99), '1.00×'],
      [
        'relationship workflow, the app’s client (encrypted input)',
        rel.perSecond,
        ms(rel.p50),
        ms(rel.p99),
        ratio(rel.perSecond, base.perSecond),
      ],
    ],
  );
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(async () => {
    process.stdout.write(`${await benchStarts()}\n`);
    return true;
  });
