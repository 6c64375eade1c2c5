/**
 * Benchmark: the time to replay a whole 24-month relationship (the recorded history of its two runs,
 * tests/histories/two-years-in-two-runs.run-*.json) against today's workflow code, as a worker does
 * when the relationship is not in its cache: one replay worker, made once (as the bundle is built once),
 * replays both runs round after round. `npm run bench:replay`
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils.js';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { main, progress, quantile, short } from '../drills/support/run.js';
import { dataConverter, failureConverterPath } from '../platform/temporal/data-converter.js';
import {
  EncryptionCodec,
  memoryKeyStore,
  newMasterKey,
  parseMasterKeys,
} from '../platform/temporal/payload-codec.js';
import { projectRoot } from '../platform/project.js';
import { workflowsPath } from '../worker/create.js';
import { ms, table, goals } from './support/measure.js';

export async function benchReplay(): Promise<string> {
  Runtime.install({ logger: new DefaultLogger('WARN'), shutdownSignals: [] });
  const t0 = performance.now();
  const bundle = await bundleWorkflowCode({
    workflowsPath,
    failureConverterPath,
    logger: new DefaultLogger('WARN'),
  });
  const bundleMs = performance.now() - t0;
  // As tests/replay.test.ts: the recorded histories are decoded, so keys in memory will do.
  const converter = dataConverter(
    new EncryptionCodec(memoryKeyStore(), parseMasterKeys(newMasterKey('bench'))),
  );
  const dir = join(projectRoot, 'tests', 'histories');
  const runs = ['two-years-in-two-runs.run-1.json', 'two-years-in-two-runs.run-2.json'].map((f) =>
    historyFromJSON(JSON.parse(readFileSync(join(dir, f), 'utf8'))),
  );
  const events = runs.map((h) => h.events?.length ?? 0);
  const times: number[] = [];
  const rounds = short ? 3 : 10;
  // One replay worker for every round, as a running worker replays a relationship that left its cache:
  // the worker (its native half, the bundle loaded into its sandbox) is made once, outside the figure.
  function* everyRound() {
    for (let i = 0; i < rounds + 1; i++)
      for (const [n, history] of runs.entries())
        yield { history, workflowId: `two-years-run-${n + 1}-round-${i}` };
  }
  let start = performance.now();
  let replayed = 0;
  let workerMs = 0;
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: bundle, dataConverter: converter },
    everyRound(),
  )) {
    if (result.error) throw result.error;
    if (++replayed % runs.length) continue;
    const round = replayed / runs.length - 1;
    const took = performance.now() - start;
    if (round > 0) times.push(took);
    else workerMs = took; // the first round makes the worker and warms it up
    progress(`replay round ${round}: ${took.toFixed(0)} ms`);
    start = performance.now();
  }
  const measured = table(
    ['replay', 'events', 'median', 'slowest'],
    [
      [
        `24-month relationship, both runs, ${rounds} rounds`,
        events.reduce((a, b) => a + b, 0),
        ms(quantile(times, 0.5)),
        ms(Math.max(...times)),
      ],
      ['(bundling the workflow code once, for comparison)', '', ms(bundleMs), ''],
      ['(making the replay worker and its first round, for comparison)', '', ms(workerMs), ''],
    ],
  );
  const median = quantile(times, 0.5);
  return [
    measured,
    goals([
      {
        what: 'replay of the 24-month relationship, median',
        measured: ms(median),
        target: '≤ 150 ms',
        met: median <= 150,
      },
    ]),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(async () => {
    process.stdout.write(`${await benchReplay()}\n`);
    return true;
  });
