/**
 * One instance of the worker function (worker/lambda.ts) in a process of its own, as Lambda runs one:
 * the module's cold start, then an invocation per `invoke <seconds>` line on stdin, each with a context
 * whose deadline is that many seconds away. Each result is one `@@` line of JSON on stdout.
 */
import { createInterface } from 'node:readline';
import { lambdaContext } from './api-gateway.js';

const say = (result: object) => process.stdout.write(`@@${JSON.stringify(result)}\n`);
const started = Date.now();
const { handler } = await import('../../worker/lambda.js');
say({ coldStartMs: Date.now() - started });
for await (const line of createInterface({ input: process.stdin })) {
  const seconds = Number(line.split(' ')[1]);
  const context = lambdaContext(seconds, 'mentorflow-worker');
  const invoked = Date.now();
  try {
    await handler({}, context);
    say({ ms: Date.now() - invoked, remainingMs: context.getRemainingTimeInMillis() });
  } catch (err) {
    say({ error: String(err) });
  }
}
