// One instance of the API function (the build's dist/api/lambda.js) in a fresh Node.js process, as
// Lambda starts one: the handler module imported, the event in BENCH_EVENT answered once (the cold
// start), then BENCH_WARM more times one after another (warm requests). Prints one line of JSON.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const event = JSON.parse(process.env.BENCH_EVENT);
const context = {
  awsRequestId: 'bench',
  functionName: 'mentorflow-api',
  invokedFunctionArn: 'arn:aws:lambda:eu-north-1:123456789012:function:mentorflow-api',
  getRemainingTimeInMillis: () => 29_000,
};
const before = performance.now();
const { handler } = await import(pathToFileURL(process.argv[2]).href);
const imported = performance.now();
const first = await handler(event, context);
const answered = performance.now();
const warm = [];
for (let i = 0; i < Number(process.env.BENCH_WARM); i++) {
  const t0 = performance.now();
  const res = await handler(event, context);
  if (res.statusCode !== 200) throw new Error(`warm request answered ${res.statusCode}`);
  warm.push(performance.now() - t0);
}
process.stdout.write(
  JSON.stringify({
    status: first.statusCode,
    // performance.now() counts from the process's start: Node.js itself, then the module, then the answer.
    processStartToAnswer: answered,
    importMs: imported - before,
    firstAnswerMs: answered - imported,
    warm,
  }) + '\n',
);
process.exit(0);
