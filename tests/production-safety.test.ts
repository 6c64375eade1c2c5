/**
 * What keeps a deployment from running on development conveniences: `npm start` refuses production
 * without its own database and Temporal cluster, the embedded database is reachable by its owner
 * alone, a production worker reads no payload that skipped the project's encryption, the development
 * mailbox logs no link, and an email's HTML makes links of the app's own addresses only.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import proto from '@temporalio/proto';
import { parse } from 'node-html-parser';
import { describe, expect, inject, it } from 'vitest';
import type { ActivityDeps } from '../activities/index.js';
import { openDatabase } from '../platform/db/connect.js';
import { dataConverter } from '../platform/temporal/data-converter.js';
import { freePort } from '../platform/temporal/dev-server.js';
import { createMailer } from '../platform/mailer.js';
import {
  EncryptionCodec,
  memoryKeyStore,
  newMasterKey,
  parseMasterKeys,
} from '../platform/temporal/payload-codec.js';
import { projectRoot } from '../platform/project.js';
import { textParagraphs, Views } from '../platform/views.js';
import { temporalConfig } from '../temporal.config.js';
import { createWorker } from '../worker/create.js';
import { TEST_DEPLOYMENT } from './helpers/stack.js';

const EventType = proto.temporal.api.enums.v1.EventType;

describe('npm start in production', () => {
  it('refuses to start without DATABASE_URL and TEMPORAL_ADDRESS, and starts no dev server', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mentorflow-prod-'));
    const { TEMPORAL_ADDRESS: _a, DATABASE_URL: _d, SMTP_URL: _s, ...rest } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/start.ts'], {
      cwd: projectRoot,
      env: {
        ...rest,
        NODE_ENV: 'production',
        DATA_DIR: dataDir,
        LINK_SECRET: 'l'.repeat(32),
        SESSION_SECRET: 's'.repeat(32),
        PAYLOAD_KEYS: newMasterKey('p-1'),
        SMTP_URL: 'smtp://127.0.0.1:1',
        // Were it to start anything anyway, not on a port another test uses.
        PORT: String(await freePort()),
        TEMPORAL_DEV_PORT: String(await freePort()),
        TEMPORAL_DEV_UI_PORT: String(await freePort()),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    clearTimeout(timer);
    rmSync(dataDir, { recursive: true, force: true });
    expect(code, out).toBe(2);
    expect(out).toMatch(/DATABASE_URL: required in production/);
    expect(out).toMatch(/TEMPORAL_ADDRESS: required in production/);
    expect(out).not.toMatch(/temporal: starting dev server|embedded PGlite/);
  }, 40_000);
});

describe('the embedded database', () => {
  it('listens on a socket only its owner can open, not on a TCP port', async () => {
    const db = await openDatabase({ databaseUrl: undefined });
    try {
      const url = new URL(db.url);
      // No host: nothing listens on TCP, where PGlite would take any user and any password.
      expect(url.hostname).toBe('');
      const dir = url.searchParams.get('host')!;
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, '.s.PGSQL.5432')).mode & 0o777).toBe(0o600);
      expect((await db.sql`select 1 as one`)[0]).toEqual({ one: 1 });
    } finally {
      await db.close();
    }
  });
});

describe('a production worker', () => {
  it('fails a workflow task whose payloads arrive unencrypted, and reads encrypted ones', async () => {
    const address = inject('temporalAddress');
    const taskQueue = `prod-${randomUUID().slice(0, 8)}`;
    const codec = new EncryptionCodec(memoryKeyStore(), parseMasterKeys(newMasterKey('k-1')));
    const {
      worker,
      connection: workerConnection,
      start: startWorker,
    } = await createWorker({
      temporal: { ...temporalConfig({}), address, taskQueue, versioning: TEST_DEPLOYMENT },
      deps: {} as ActivityDeps,
      dataConverter: dataConverter(codec),
      workflowBundle: { code: inject('workflowBundleCode') },
      polls: 'workflows',
      refuseUnencrypted: true,
    });
    const { stopped: running, rollout } = startWorker();
    await rollout;
    const connection = await Connection.connect({ address });
    const encrypted = new Client({ connection, dataConverter: dataConverter(codec) });
    // Whoever can write to the Temporal namespace without the project's keys.
    const plain = new Client({ connection });
    const start = (client: Client) =>
      client.workflow.start('retentionSweepWorkflow', {
        taskQueue,
        workflowId: `prod-${randomUUID()}`,
        args: [{ note: 'written without the project’s encryption' }],
      });
    const unencrypted = await start(plain);
    const sealed = await start(encrypted);
    const eventTypes = async (handle: typeof sealed) =>
      (await handle.fetchHistory()).events!.map((e) => e.eventType);
    try {
      await expect.poll(() => eventTypes(sealed)).toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
      await expect.poll(() => eventTypes(unencrypted)).toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
      expect(await eventTypes(unencrypted)).not.toContain(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    } finally {
      await Promise.all([unencrypted.terminate(), sealed.terminate()]);
      worker.shutdown();
      await running;
      await workerConnection.close();
      await connection.close();
    }
  });
});

describe('the development mailbox', () => {
  it('logs that an email was written, not its links', async () => {
    const lines: string[] = [];
    const mailer = createMailer({ smtpUrl: undefined, from: 'x@example.org', log: (l) => lines.push(l) });
    const token = 'eyJ2IjoxfQ.c2lnbmF0dXJl';
    await mailer.send({
      to: 'grace@example.org',
      subject: 'Your application, Grace Hopper',
      text: `Dear Grace,\n\nyour link:\nhttp://localhost:3000/s/${token}\n`,
      html: '',
      messageId: '<m@localhost>',
    });
    expect(lines.join('\n')).toMatch(/development mailbox/);
    expect(lines.join('\n')).not.toMatch(new RegExp(`${token}|http|Grace`));
  });
});

describe("an email's HTML", () => {
  const publicUrl = new URL('https://mentoring.example.org/programme');
  const own = 'https://mentoring.example.org/programme/s/abc.def';
  const hrefs = (html: string) =>
    parse(html)
      .querySelectorAll('a')
      .map((a) => a.getAttribute('href'));

  it("links the app's own addresses and leaves what participants wrote as text", () => {
    const email = new Views({ linkBase: publicUrl }).email('application-received', {
      recipientName: 'Eve https://evil.example/phish',
      programName: 'Mentoring http://evil.example/p',
      statusUrl: own,
    });
    expect(hrefs(email.html)).toEqual([own]);
    expect(email.html).toContain('https://evil.example/phish');
  });

  it('does not take look-alikes of the public address for it', () => {
    const lookalikes = [
      'https://mentoring.example.org.evil.example/programme/s/x',
      'https://mentoring.example.org@evil.example/programme/s/x',
      'https://mentoring.example.org/programmer/s/x',
      'https://mentoring.example.org/programme/../elsewhere',
      'http://mentoring.example.org/programme/s/x',
      `${own}"onmouseover="x`,
    ];
    const html = textParagraphs([own, ...lookalikes].join('\n'), publicUrl).join('');
    expect(hrefs(html)).toEqual([own]);
    expect(html).not.toContain('"onmouseover');
  });
});
