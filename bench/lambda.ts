/**
 * Benchmark: the API as a Lambda function (api/lambda.ts, from the build as Lambda runs it). A cold
 * start is a fresh Node.js process that imports the handler module and answers its first event (the
 * application form page, as API Gateway sends the request); warm requests are the same event answered
 * again by that instance. Next to them, the same page from the long-running API over HTTP, one request
 * at a time. The database and Temporal are local, so the figures are the function's own work, not a
 * network's. `npm run bench:lambda [-- --short]`
 */
import { execFile, execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../platform/project.js';
import { main, progress, quantile, short } from '../drills/support/run.js';
import { startStack } from '../drills/support/stack.js';
import { apiGatewayEvent } from '../tests/helpers/api-gateway.js';
import { closedLoop, goals, ms, table } from './support/measure.js';

interface Instance {
  status: number;
  processStartToAnswer: number;
  importMs: number;
  firstAnswerMs: number;
  warm: number[];
}

/** Cold starts of the API function, from its process's start to its first answer, at most this (ms). */
const COLD_START_GOAL_MS = 1500;

export async function benchLambda(): Promise<string> {
  progress('npm run build (the function runs the build)');
  execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });
  const stack = await startStack({ settings: {} });
  const pageUrl = `${stack.baseUrl}/programs/${stack.programId}/apply`;
  const instances = short ? 2 : 6;
  const warmCount = short ? 50 : 300;
  const runs: Instance[] = [];
  for (let i = 0; i < instances; i++) {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [join(projectRoot, 'bench/support/lambda-api-child.mjs'), join(projectRoot, 'dist/api/lambda.js')],
      {
        cwd: projectRoot,
        env: {
          ...process.env,
          ...stack.env,
          LOG_LEVEL: 'error',
          BENCH_EVENT: JSON.stringify(apiGatewayEvent(pageUrl)),
          BENCH_WARM: String(warmCount),
        },
      },
    );
    const run = JSON.parse(stdout.trim().split('\n').at(-1)!) as Instance;
    if (run.status !== 200) throw new Error(`the function answered ${run.status}`);
    progress(`instance ${i + 1}: first answer ${run.processStartToAnswer.toFixed(0)} ms after its start`);
    runs.push(run);
  }
  const overHttp = await closedLoop(warmCount, 1, async () => {
    const res = await fetch(pageUrl);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`the API answered ${res.status}`);
  });
  const median = (f: (r: Instance) => number) => quantile(runs.map(f), 0.5);
  const warm = runs.flatMap((r) => r.warm);
  const cold = median((r) => r.processStartToAnswer);
  return [
    table(
      ['the application form page', 'p50', 'p99'],
      [
        [
          `cold start: process start to first answer (${instances} instances)`,
          ms(cold),
          ms(
            quantile(
              runs.map((r) => r.processStartToAnswer),
              0.99,
            ),
          ),
        ],
        [
          '  of which Node.js starting',
          ms(median((r) => r.processStartToAnswer - r.importMs - r.firstAnswerMs)),
          '',
        ],
        ['  of which importing the handler module', ms(median((r) => r.importMs)), ''],
        [
          '  of which the first answer (configuration, pools, app, page)',
          ms(median((r) => r.firstAnswerMs)),
          '',
        ],
        [`warm request, in the instance (${warm.length})`, ms(quantile(warm, 0.5)), ms(quantile(warm, 0.99))],
        [`the long-running API over HTTP, one at a time (${warmCount})`, ms(overHttp.p50), ms(overHttp.p99)],
      ],
    ),
    goals([
      {
        what: 'API function cold start, process start to first answer, median',
        measured: ms(cold),
        target: `≤ ${ms(COLD_START_GOAL_MS)}`,
        met: cold <= COLD_START_GOAL_MS,
      },
    ]),
  ].join('\n\n');
}

if (import.meta.url === `file://${process.argv[1]}`)
  main(async () => {
    process.stdout.write(`${await benchLambda()}\n`);
    return true;
  });
