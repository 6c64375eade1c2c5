/**
 * The stack of the web and Temporal benchmarks: the drills' stack (own PostgreSQL, persisted dev
 * server, `worker/main.ts` and the API as separate processes) with the API process carrying the
 * hello-world baseline, and a second worker process for the baseline workflows.
 */
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { freePort } from '../../platform/temporal/dev-server.js';
import { spawnNode, waitForLog } from '../../drills/support/processes.js';
import { atExit } from '../../drills/support/run.js';
import { startStack, type StackOptions } from '../../drills/support/stack.js';

export async function startWebStack(settings: StackOptions['settings']) {
  const helloPort = await freePort();
  const stack = await startStack({
    settings,
    persist: process.env.BENCH_TEMPORAL !== 'memory',
    apiScript: 'bench/support/api-server.ts',
    apiEnv: { HELLO_PORT: String(helloPort), LOG_LEVEL: 'error' },
  });
  const trivialQueue = `bench-trivial-${randomBytes(3).toString('hex')}`;
  const trivialWorker = spawnNode(
    'trivial-worker',
    'bench/support/trivial-worker.ts',
    {
      ...stack.env,
      BENCH_TRIVIAL_QUEUE: trivialQueue,
    },
    stack.dir,
  );
  await waitForLog(trivialWorker, /trivial worker: polling/, 120_000);
  // The baseline client: the SDK's defaults, no payload encryption, nothing of the app.
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS! });
  atExit(() => connection.close());
  const bare = new Client({ connection });
  return { stack, helloUrl: `http://127.0.0.1:${helloPort}/`, trivialQueue, bare };
}
