/**
 * A worker process for the baseline workflows (bench/support/trivial-workflows.ts), on the same dev
 * server as the app's worker, with the SDK's default data converter: nothing of the app in the way.
 * Env: TEMPORAL_ADDRESS, BENCH_TRIVIAL_QUEUE.
 */
import { fileURLToPath } from 'node:url';
import { NativeConnection, Worker } from '@temporalio/worker';

const connection = await NativeConnection.connect({ address: process.env.TEMPORAL_ADDRESS! });
const worker = await Worker.create({
  connection,
  taskQueue: process.env.BENCH_TRIVIAL_QUEUE!,
  workflowsPath: fileURLToPath(new URL('./trivial-workflows.ts', import.meta.url)),
});
console.log(`trivial worker: polling ${process.env.BENCH_TRIVIAL_QUEUE}`);
await worker.run();
await connection.close();
