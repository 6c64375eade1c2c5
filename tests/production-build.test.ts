/**
 * The build as production runs it: `npm run build -- --deploy <dir>` makes a folder with the build and
 * nothing of the sources' tooling, `npm ci --omit=dev` installs it without TypeScript or tsx, and the
 * API and the worker started there with NODE_ENV=production take an application on a real PostgreSQL
 * and the run's Temporal server: the worker runs the prebuilt workflow bundle.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import postgres from 'postgres';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../platform/temporal/dev-server.js';
import { newMasterKey } from '../platform/temporal/payload-codec.js';
import { projectRoot } from '../platform/project.js';
import { Browser, hiddenValue, menteeAnswers } from './helpers/http.js';
import { startSmtp } from './helpers/smtp.js';

const run = promisify(execFile);

describe.skipIf(!inject('postgresUrl'))('the build in production', () => {
  const deploy = mkdtempSync(join(tmpdir(), 'mentorflow-deploy-'));
  const database = `test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(inject('postgresUrl')!, { max: 1, onnotice: () => {} });
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await admin.unsafe(`drop database if exists ${database} with (force)`).catch(() => {});
    await admin.end();
    rmSync(deploy, { recursive: true, force: true });
  });

  it('installs without dev dependencies, starts API and worker, and takes an application', async () => {
    await run(process.execPath, ['--import', 'tsx', 'cli/build.ts', '--deploy', deploy], {
      cwd: projectRoot,
    });
    await run('npm', ['ci', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: deploy });
    expect(existsSync(join(deploy, 'node_modules', 'fastify'))).toBe(true);
    for (const tool of ['tsx', 'vitest', 'esbuild', 'eslint'])
      expect(existsSync(join(deploy, 'node_modules', tool)), tool).toBe(false);
    expect(existsSync(join(deploy, 'tests'))).toBe(false);
    // Pruned as for AWS Lambda (deploy/aws/prune.sh): what no process loads goes (the compiler npm installs
    // as an optional peer of i18next among it), both functions' handlers still load, the folder fits in
    // Lambda's 250 MB; and the long-running API and worker below run from it all the same.
    const pruned = await run('bash', [
      join(projectRoot, 'deploy/aws/prune.sh'),
      deploy,
      process.arch === 'arm64' ? 'arm64' : 'x86_64',
    ]);
    expect(pruned.stdout).toMatch(/is \d+ MB unzipped .*both handlers load/);
    expect(existsSync(join(deploy, 'node_modules', 'typescript'))).toBe(false);

    await admin.unsafe(`create database ${database}`);
    const databaseUrl = Object.assign(new URL(inject('postgresUrl')!), { pathname: `/${database}` }).href;
    const smtp = await startSmtp();
    const port = await freePort();
    const env = {
      PATH: process.env.PATH!,
      NODE_ENV: 'production',
      PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      DATABASE_URL: databaseUrl,
      SMTP_URL: smtp.url,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_TASK_QUEUE: `prod-${randomBytes(4).toString('hex')}`,
      LINK_SECRET: randomBytes(32).toString('hex'),
      SESSION_SECRET: randomBytes(32).toString('hex'),
      PAYLOAD_KEYS: newMasterKey('prod-1'),
      LOG_LEVEL: 'warn',
    };
    const output: string[] = [];
    const start = (entry: string) => {
      // As `npm run api` / `npm run worker` do, without npm in between.
      const child = spawn(process.execPath, ['cli/run.mjs', entry], {
        cwd: deploy,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout!.on('data', (d: Buffer) => output.push(d.toString()));
      child.stderr!.on('data', (d: Buffer) => output.push(d.toString()));
      children.push(child);
      return child;
    };
    const api = start('api/main');
    await expect
      .poll(
        () =>
          fetch(`${env.PUBLIC_URL}/readyz`).then(
            (r) => r.status,
            () => 0,
          ),
        { timeout: 60_000, interval: 500 },
      )
      .toBe(200);
    const worker = start('worker/main');
    await expect.poll(() => output.join(''), { timeout: 60_000 }).toContain('worker: polling');

    const programId = `prod-${randomBytes(3).toString('hex')}`;
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await sql`insert into programs (id, name, coordinator_email, settings)
      values (${programId}, 'Production programme', 'coordinator@example.org', ${sql.json({ confirmAddress: false })})`;
    await sql.end();
    const browser = new Browser();
    const url = `${env.PUBLIC_URL}/programs/${programId}/apply`;
    const form = await browser.get(url);
    expect(form.status).toBe(200);
    const page = await browser.post(url, {
      ...menteeAnswers(),
      submissionId: hiddenValue(form, 'submissionId'),
    });
    expect(page.status, output.join('')).toBe(200);
    expect(page.text).toMatch(/Your reference is \w{8}/);
    // The worker, on the prebuilt bundle, ran the workflow that writes to the applicant.
    const mail = await smtp.waitFor((m) =>
      m.some((e) => e.subject === 'Your mentoring application is received'),
    );
    expect(mail.length).toBeGreaterThan(0);

    for (const child of [api, worker]) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    await smtp.close();
    expect(output.join('')).not.toMatch(/bundling|webpack/i);
  }, 240_000);
});
