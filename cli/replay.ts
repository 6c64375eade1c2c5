/**
 * `npm run replay`: before a deploy, replays what is running against the workflow code of this checkout.
 *
 *   npm run replay                        every open workflow of the task queue
 *   npm run replay -- --workflow <id>     one workflow (open or closed)
 *   npm run replay -- --query "<query>"   those a visibility query finds
 *   npm run replay -- --namespace <ns>    another namespace than TEMPORAL_NAMESPACE
 *   npm run replay -- --bundle <file>     against a built workflow bundle (the one about to be deployed,
 *                                         dist/workflow-bundle.js) instead of this checkout's code
 *
 * Needs TEMPORAL_ADDRESS and DATABASE_URL (the payload keys live in the database) as `npm run worker`
 * does. Prints one line per workflow and exits non-zero when any replay diverges, naming the workflow
 * and the first command that differs. Writes nothing to disk.
 */
import { parseArgs } from 'node:util';
import { Client, Connection } from '@temporalio/client';
import { connectionOptions } from '../temporal.config.js';
import { openShared, scaleOutConfig } from '../platform/shared.js';
import { replayRunning, runningOn } from '../platform/temporal/replay-running.js';
import { workflowCode } from '../worker/create.js';

const { values } = parseArgs({
  options: {
    workflow: { type: 'string' },
    query: { type: 'string' },
    namespace: { type: 'string' },
    bundle: { type: 'string' },
  },
});
const { config, temporal } = scaleOutConfig('npm run replay');
const namespace = values.namespace ?? temporal.namespace;
const shared = await openShared(config, () => {});
const connection = await Connection.connect(connectionOptions(temporal));
const client = new Client({ connection, namespace, dataConverter: shared.dataConverter });

let replayed = 0;
let diverged = 0;
for await (const outcome of replayRunning({
  client,
  select: values.workflow
    ? { workflowId: values.workflow }
    : { query: values.query ?? runningOn(temporal.taskQueue) },
  replay: { ...workflowCode(values.bundle), dataConverter: shared.dataConverter },
})) {
  replayed++;
  if (outcome.divergence) {
    diverged++;
    console.log(`DIVERGES ${outcome.workflowId} (run ${outcome.runId}): ${outcome.divergence}`);
  } else console.log(`replays  ${outcome.workflowId}`);
}
console.log(`replay: ${replayed} workflow(s) in ${namespace}, ${diverged} diverge`);
await connection.close();
await shared.db.close();
process.exit(diverged ? 1 : 0);
