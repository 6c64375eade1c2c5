/**
 * Drill: the app scaled out on a real Temporal cluster (frontend, history, matching and worker as four
 * processes on PostgreSQL, `npm run cluster`), two API instances behind a load balancer and two
 * workers, all running the build (`npm run build`) with NODE_ENV=production. Relationships run their
 * whole lifecycle while, one after the other: (a) a worker is killed (-9) and comes back, (b) the
 * history service restarts, (c) the API instances restart one after the other (a rolling deploy:
 * each drains, /readyz failing, before it stops), (d) a new worker version is rolled out: first
 * `npm run replay` checks what is running against it (today's build replays; a build with an unpatched
 * change to the relationship is refused, naming the relationship), then the version with the change
 * behind `patched()` replaces both workers. Verdict: 0 lost, 0 duplicate emails, no 5xx but the
 * "try again" page; the metrics of the APIs, workers and the SDK moved.
 * `npm run drill:cluster [-- --short] [--count N] [--gap SECONDS]` (needs Go and PostgreSQL).
 */
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../platform/project.js';
import { freePort } from '../platform/temporal/dev-server.js';
import { failureConverterPath } from '../platform/temporal/data-converter.js';
import { HttpLog } from './support/people.js';
import type { NodeProcess } from './support/processes.js';
import { COMPRESSED, runRelationship, settle, type Relationship } from './support/programme.js';
import { ROLLOUT_PATCH } from './support/rollout-workflows.js';
import { main, option, pool, progress, short, sleep } from './support/run.js';
import { startStack } from './support/stack.js';
import { verdict } from './support/verdict.js';

/** A moment the drill reaches, that relationships wait for. */
function signal() {
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  return { reached, reach };
}

const METRICS_TOKEN = 'drill-metrics-token-0123456789';

/** One sample of a Prometheus exposition, summed over its label sets; 0 when absent. */
function total(text: string, name: string): number {
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`))
    .reduce((sum, l) => sum + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

async function bundleTo(file: string, workflows: string) {
  const { code } = await bundleWorkflowCode({
    workflowsPath: fileURLToPath(new URL(workflows, import.meta.url)),
    failureConverterPath,
    logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
  });
  writeFileSync(file, code);
  return file;
}

main(async () => {
  const count = option('count', short ? 12 : 40);
  // Seconds between one relationship's start and the next: spread, so each fault finds some running.
  const gap = option('gap', short ? 3 : 1.5);
  progress('npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: projectRoot, stdio: ['ignore', 'ignore', 'inherit'] });

  const workerPorts = async () => {
    const [health, sdk] = [await freePort(), await freePort()];
    return { WORKER_HEALTH_PORT: String(health), WORKER_SDK_METRICS_ADDRESS: `127.0.0.1:${sdk}` };
  };
  const stack = await startStack({
    settings: COMPRESSED,
    cluster: true,
    apis: 2,
    production: true,
    workerEnv: await workerPorts(),
    apiEnv: { METRICS_TOKEN, DRAIN_SECONDS: '1' },
  });
  const workers: NodeProcess[] = [stack.worker, await stack.startWorker(await workerPorts())];
  const problems: string[] = [];
  const http = new HttpLog();
  const stages = new Map<string, number>();
  const killedAt: number[] = [];
  const done: string[] = [];

  // Three waves: half start during the faults (one every `gap` seconds), a quarter just before the new
  // version (running while it is checked and rolled out), the rest after it (run by it from their start).
  const [beforeRollout, rollout] = [signal(), signal()];
  const waves = [Math.ceil(count / 2), Math.ceil((count * 3) / 4)];
  const running = pool(
    Array.from({ length: count }, (_, i) => i),
    count,
    async (i): Promise<Relationship> => {
      const [wave, first] =
        i < waves[0]! ? [undefined, 0] : i < waves[1]! ? [beforeRollout, waves[0]!] : [rollout, waves[1]!];
      await wave?.reached;
      await sleep((i - first) * gap * 1000);
      return runRelationship(http, stack, i, (stage) => stages.set(stage, (stages.get(stage) ?? 0) + 1));
    },
  );
  const so = () => [...stages].map(([s, n]) => `${n} ${s}`).join(', ');

  // (a) A worker killed and back.
  await sleep(gap * 2_000);
  progress(`(a) kill -9 worker ${workers[0]!.pid}; so far ${so()}`);
  let outage = http.outage(30_000);
  killedAt.push(Date.now());
  await workers[0]!.kill9();
  workers[0] = await stack.startWorker(await workerPorts());
  outage.end();
  done.push('worker killed and back');

  // (b) The history service restarted.
  await sleep(gap * 2_000);
  progress(`(b) restart the history service; so far ${so()}`);
  outage = http.outage(60_000);
  await stack.cluster!.restart('history');
  outage.end();
  done.push('history restarted');

  // (c) A rolling deploy of the API: each instance drains and stops, then comes back.
  await sleep(gap * 2_000);
  for (const n of [0, 1]) {
    progress(`(c) restart API instance ${n + 1} (drain, stop, start); so far ${so()}`);
    await stack.apis[n]!.stop();
    await stack.startApi(n);
  }
  done.push('APIs restarted one after the other');

  // (d) A new worker version. First what is running is replayed against the candidates.
  beforeRollout.reach();
  const dir = stack.dir;
  const [unpatched, patched] = await Promise.all([
    bundleTo(join(dir, 'unpatched.js'), '../tests/fixtures/changed-workflows.ts'),
    bundleTo(join(dir, 'patched.js'), './support/rollout-workflows.ts'),
  ]);
  const replay = async (bundle?: string) => {
    const args = [join(projectRoot, 'cli', 'run.mjs'), 'cli/replay', ...(bundle ? ['--bundle', bundle] : [])];
    return promisify(execFile)(process.execPath, args, {
      cwd: projectRoot,
      env: { ...process.env, ...stack.env },
    }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (err: { code?: number; stdout?: string }) => ({ code: err.code ?? -1, stdout: err.stdout ?? '' }),
    );
  };
  // The second wave's relationships are running (each has applied) when the replay looks.
  while ((stages.get('applied') ?? 0) < waves[1]!) await sleep(500);
  progress(`(d) npm run replay against today's build, then against an unpatched change; so far ${so()}`);
  const today = await replay();
  const careless = await replay(unpatched);
  const named = /^DIVERGES (relationship-\S+)/m.exec(careless.stdout)?.[1];
  const replayLine = (r: { code: number; stdout: string }) => r.stdout.trim().split('\n').at(-1) ?? '';
  if (today.code !== 0) problems.push(`replay of today's build failed: ${today.stdout.slice(-800)}`);
  if (careless.code === 0 || !named)
    problems.push(
      `replay of the unpatched change did not name a diverging relationship: ${careless.stdout.slice(-800)}`,
    );
  progress(`    today's build: exit ${today.code}, ${replayLine(today)}`);
  progress(`    unpatched change: exit ${careless.code}, ${replayLine(careless)}; first named ${named}`);

  progress(`(d) roll out the patched version: two new workers, then the old ones stop; so far ${so()}`);
  const rolledOutAt = Date.now();
  const freshPorts = [await workerPorts(), await workerPorts()];
  const fresh = [];
  for (const env of freshPorts)
    fresh.push(await stack.startWorker({ ...env, WORKER_WORKFLOW_BUNDLE: patched }));
  for (const old of workers) await old.stop(30_000);
  workers.splice(0, workers.length, ...fresh);
  rollout.reach();
  done.push('patched version rolled out');

  const relationships = await running;
  progress(`all ${count} relationships answered their last forms; so far ${so()}`);
  const settled = await settle(stack, relationships, killedAt);
  problems.push(...settled.problems);

  // The patched version took: relationships started after the rollout carry its marker.
  const markers = await Promise.all(
    relationships.map(async (r) => {
      const runs = [];
      for await (const run of stack.client.workflow.list({ query: `WorkflowId = '${r.handle.workflowId}'` }))
        runs.push(run);
      const first = runs.sort((a, b) => a.startTime.getTime() - b.startTime.getTime())[0];
      if (!first || first.startTime.getTime() < rolledOutAt) return undefined;
      // Its first run: the change comes before anything the relationship does.
      const history = await stack.client.workflow.getHandle(first.workflowId, first.runId).fetchHistory();
      return history.events!.some((e) =>
        Object.values(e.markerRecordedEventAttributes?.details ?? {}).some((d) =>
          (d.payloads ?? []).some((p) =>
            Buffer.from(p.data ?? [])
              .toString()
              .includes(ROLLOUT_PATCH),
          ),
        ),
      );
    }),
  );
  const startedAfter = markers.filter((m) => m !== undefined).length;
  const patchedRuns = markers.filter((m) => m === true).length;

  // Metrics: the counters of every current instance moved.
  const scrape = (url: string, auth = false) =>
    fetch(url, auth ? { headers: { authorization: `Bearer ${METRICS_TOKEN}` } } : {}).then((r) => r.text());
  const apiMetrics = await Promise.all(stack.apiUrls.map((url) => scrape(`${url}/metrics`, true)));
  const workerMetrics = await Promise.all(
    freshPorts.map((env) => scrape(`http://127.0.0.1:${env.WORKER_HEALTH_PORT}/metrics`)),
  );
  const sdkMetrics = await Promise.all(
    freshPorts.map((env) => scrape(`http://${env.WORKER_SDK_METRICS_ADDRESS}/metrics`)),
  );
  const figures = {
    accepted: apiMetrics.reduce((s, t) => s + total(t, 'mentorflow_form_submissions_total'), 0),
    requests: apiMetrics.reduce((s, t) => s + total(t, 'mentorflow_http_request_duration_seconds_count'), 0),
    emails: workerMetrics.reduce((s, t) => s + total(t, 'mentorflow_emails_sent_total'), 0),
    workflowTasks: sdkMetrics.reduce(
      (s, t) => s + total(t, 'temporal_workflow_task_execution_latency_count'),
      0,
    ),
  };
  for (const [name, n] of Object.entries(figures)) if (!(n > 0)) problems.push(`metric ${name} did not move`);
  if (startedAfter && !patchedRuns)
    problems.push('no relationship started after the rollout ran the patched version');
  if (!startedAfter)
    problems.push('no relationship started after the rollout: make --gap longer or --count larger');

  return verdict(
    'cluster',
    `${count} relationships on a 4-process Temporal cluster, 2 APIs, 2 workers (build, production):` +
      ` ${settled.completed} completed, ${settled.lost} lost, ${settled.duplicates} duplicate emails;` +
      ` ${done.join(', ')}; replay: today's build exit ${today.code}, unpatched change exit ${careless.code} naming ${named ?? 'nothing'};` +
      ` ${patchedRuns} of ${startedAfter} relationships started after the rollout patched;` +
      ` metrics: ${figures.accepted} form submissions, ${figures.requests} requests, ${figures.emails} emails, ${figures.workflowTasks} workflow tasks;` +
      ` ${http.tryAgain} "try again" pages, ${http.serverErrors.length} other 5xx; HTTP ${http.summary()}`,
    problems.length === 0 &&
      settled.lost === 0 &&
      settled.duplicates === 0 &&
      http.serverErrors.length === 0 &&
      settled.completed === count,
    [...problems, ...http.serverErrors],
    stack,
  );
});
