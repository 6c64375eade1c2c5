import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import rateLimit from '@fastify/rate-limit';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.js';
import { newMasterKey } from '../platform/temporal/payload-codec.js';
import { findTemporalCli, toolsDir } from '../platform/temporal/temporal-cli.js';
import { connectionOptions, temporalConfig } from '../temporal.config.js';

describe('temporal.config', () => {
  it('defaults to a local dev server on the mentoring task queue', () => {
    const c = temporalConfig({});
    expect(c).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'mentoring', tls: false });
    expect(() => connectionOptions(c)).toThrow(/TEMPORAL_ADDRESS/);
  });

  it('keeps 250 workflow runs cached unless told a size, 0 included', () => {
    // 0 replays every task (temporal.config.ts, workflowCacheSize).
    expect(temporalConfig({}).workflowCacheSize).toBe(250);
    expect(temporalConfig({ WORKER_WORKFLOW_CACHE: '0' }).workflowCacheSize).toBe(0);
    expect(temporalConfig({ WORKER_WORKFLOW_CACHE: '500' }).workflowCacheSize).toBe(500);
    expect(() => temporalConfig({ WORKER_WORKFLOW_CACHE: '-1' })).toThrow();
  });

  it('switches TLS on for Temporal Cloud API keys and client certificates', () => {
    const cloud = temporalConfig({
      TEMPORAL_ADDRESS: 'ns.acct.tmprl.cloud:7233',
      TEMPORAL_NAMESPACE: 'ns.acct',
      TEMPORAL_API_KEY: 'k',
    });
    expect(connectionOptions(cloud)).toMatchObject({
      address: 'ns.acct.tmprl.cloud:7233',
      apiKey: 'k',
      tls: {},
    });
    const dir = mkdtempSync(join(tmpdir(), 'tls-'));
    writeFileSync(join(dir, 'c.pem'), 'CERT');
    writeFileSync(join(dir, 'k.pem'), 'KEY');
    const mtls = temporalConfig({
      TEMPORAL_ADDRESS: 'x:7233',
      TEMPORAL_TLS_CERT_PATH: join(dir, 'c.pem'),
      TEMPORAL_TLS_KEY_PATH: join(dir, 'k.pem'),
    });
    expect(mtls.tls && mtls.tls !== true ? mtls.tls.clientCertPair?.crt.toString() : undefined).toBe('CERT');
    expect(() => temporalConfig({ TEMPORAL_TLS_CERT_PATH: join(dir, 'c.pem') })).toThrow(/together/);
  });
});

describe('finding the Temporal CLI', () => {
  it('prefers TEMPORAL_CLI_PATH, then PATH, then the project-local install', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-'));
    const fake = join(dir, 'temporal');
    writeFileSync(fake, '#!/bin/sh\n');
    chmodSync(fake, 0o755);
    expect(findTemporalCli({ TEMPORAL_CLI_PATH: fake, PATH: '' })).toEqual({
      path: fake,
      source: 'TEMPORAL_CLI_PATH',
    });
    expect(findTemporalCli({ PATH: dir })).toEqual({ path: fake, source: 'PATH' });
    const local = findTemporalCli({ PATH: '' });
    expect(local === undefined || local.path === join(toolsDir, 'bin', 'temporal')).toBe(true);
    expect(() => findTemporalCli({ TEMPORAL_CLI_PATH: join(dir, 'missing') })).toThrow(/not an executable/);
  });
});

describe('app configuration', () => {
  it('names every invalid variable', () => {
    expect(() =>
      loadConfig({ PORT: 'abc', DATABASE_URL: 'mysql://x', LINK_SECRET: 'short', NODE_ENV: 'test' }),
    ).toThrow(
      /PORT[\s\S]*DATABASE_URL: must be a postgres:\/\/ URL[\s\S]*LINK_SECRET: must be at least 32 characters/,
    );
  });

  it('requires configured secrets in production', () => {
    expect(() =>
      loadConfig({ NODE_ENV: 'production', DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')) }),
    ).toThrow(/required in production/);
  });

  it('keeps generated development secrets across restarts', () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(loadConfig({ DATA_DIR }).linkSecret).toBe(loadConfig({ DATA_DIR }).linkSecret);
  });

  it('refuses production without its own database, Temporal cluster and mail server', () => {
    const production = {
      NODE_ENV: 'production',
      DATA_DIR: mkdtempSync(join(tmpdir(), 'cfg-')),
      LINK_SECRET: 'l'.repeat(32),
      SESSION_SECRET: 's'.repeat(32),
      PAYLOAD_KEYS: newMasterKey('p-1'),
      DATABASE_URL: 'postgres://mentorflow:secret@db.internal/mentorflow',
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      SMTP_URL: 'smtp://mailer:secret@smtp.internal:587',
    };
    expect(loadConfig(production).env).toBe('production');
    // Without them it would serve PGlite and a Temporal dev server, neither asking for a password, and
    // write every email, links and all, to a mailbox nobody reads.
    for (const name of ['DATABASE_URL', 'TEMPORAL_ADDRESS', 'SMTP_URL'] as const) {
      const { [name]: _left, ...without } = production;
      expect(() => loadConfig(without), name).toThrow(new RegExp(`${name}: required in production`));
    }
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /DATABASE_URL[\s\S]*TEMPORAL_ADDRESS[\s\S]*SMTP_URL[\s\S]*LINK_SECRET/,
    );
  });

  it('believes X-Forwarded-* only from the proxies TRUST_PROXY names', async () => {
    const DATA_DIR = mkdtempSync(join(tmpdir(), 'cfg-'));
    expect(loadConfig({ DATA_DIR }).trustProxy).toBe(false);
    expect(loadConfig({ DATA_DIR, TRUST_PROXY: ' 10.0.0.0/8, 127.0.0.1,::1 ' }).trustProxy).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
      '::1',
    ]);
    // true and /0 believe every hop; a hop count Fastify ignores; a host name it cannot compare.
    for (const unsafe of ['true', '1', '0.0.0.0/0', '::/0', 'proxy.internal', '10.0.0.0/33'])
      expect(() => loadConfig({ DATA_DIR, TRUST_PROXY: unsafe }), unsafe).toThrow(/TRUST_PROXY: /);

    // Behind the proxy at 127.0.0.1 a client writing its own X-Forwarded-For stays in one rate-limit bucket.
    const app = Fastify({ trustProxy: loadConfig({ DATA_DIR, TRUST_PROXY: '127.0.0.1' }).trustProxy });
    await app.register(rateLimit, { max: 2, timeWindow: '1 minute' });
    app.get('/', async (request) => ({ ip: request.ip, protocol: request.protocol }));
    const answers = [];
    for (const chosen of ['198.51.100.1', '198.51.100.2', '198.51.100.3']) {
      answers.push(
        await app.inject({
          url: '/',
          remoteAddress: '127.0.0.1',
          headers: { 'x-forwarded-for': `${chosen}, 203.0.113.7`, 'x-forwarded-proto': 'https' },
        }),
      );
    }
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 429]);
    expect(answers[0]!.json()).toEqual({ ip: '203.0.113.7', protocol: 'https' });
    // A peer that is not the proxy is the client, whatever its headers say.
    const direct = await app.inject({
      url: '/',
      remoteAddress: '192.0.2.9',
      headers: { 'x-forwarded-for': '198.51.100.4', 'x-forwarded-proto': 'https' },
    });
    expect(direct.json()).toEqual({ ip: '192.0.2.9', protocol: 'http' });
    await app.close();
  });
});
