/**
 * Benchmark: the time to replay a whole 24-month relationship (the recorded history of its two runs,
 * tests/histories/two-years-in-two-runs.run-*.json) against today's workflow code, as a worker does
 * when the relationship is not in its cache, and as the replay test does. `npm run bench:replay`
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
  for (let i = 0; i < rounds + 1; i++) {
    const start = performance.now();
    for (const [n, history] of runs.entries())
      await Worker.runReplayHistory(
        { workflowBundle: bundle, dataConverter: converter },
        history,
        `two-years-run-${n + 1}`,
      );
    if (i > 0) times.push(performance.now() - start); // the first round warms up
    progress(`replay round ${i}: ${(performance.now() - start).toFixed(0)} ms`);
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
