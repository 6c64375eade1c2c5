import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../lib/config.js';
import { findTemporalCli, toolsDir } from '../lib/temporal-cli.js';
import { connectionOptions, temporalConfig } from '../temporal.config.js';

describe('temporal.config', () => {
  it('defaults to a local dev server on the mentoring task queue', () => {
    const c = temporalConfig({});
    expect(c).toMatchObject({ address: undefined, namespace: 'default', taskQueue: 'mentoring', tls: false });
    expect(() => connectionOptions(c)).toThrow(/TEMPORAL_ADDRESS/);
  });

  it("keeps the SDK's workflow cache unless told a size, 0 included", () => {
    // 0 replays every task (temporal.config.ts, workflowCacheSize).
    expect(temporalConfig({}).workflowCacheSize).toBeUndefined();
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
});
