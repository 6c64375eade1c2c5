/**
 * Once per test run: a real Temporal dev server (in memory, on a free port, with the project's search
 * attributes), one bundle of the workflow code that every test worker loads, and one migrated PGlite
 * database that every embedded test database starts as a copy of (creating a PGlite cluster costs some
 * three seconds of CPU; copying one, a fraction of that).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../platform/db/connect.js';
import { searchAttributes } from '../../workflows/search-attributes.js';
import { bundleWorkflowCode } from '@temporalio/worker';
import type { TestProject } from 'vitest/node';
import { freePort, startDevServer, type DevServer } from '../../platform/temporal/dev-server.js';
import { workflowsPath } from '../../worker/create.js';
import { failureConverterPath } from '../../platform/temporal/data-converter.js';

declare module 'vitest' {
  export interface ProvidedContext {
    temporalAddress: string;
    workflowBundleCode: string;
    postgresUrl: string | undefined;
    /** A migrated PGlite data folder (its `pgdata`), to copy into a test's DATA_DIR. */
    pgliteTemplate: string;
  }
}

let server: DevServer | undefined;
let templateDir: string | undefined;

async function pgliteTemplate(): Promise<string> {
  templateDir = mkdtempSync(join(tmpdir(), 'mentorflow-template-'));
  const db = await openDatabase({ databaseUrl: undefined, dataDir: templateDir });
  await db.close();
  return join(templateDir, 'pgdata');
}

export async function setup(project: TestProject) {
  const postgresUrl = process.env.TEST_DATABASE_URL || undefined;
  if (process.env.CI && !postgresUrl) {
    throw new Error('CI must test against a real PostgreSQL server: set TEST_DATABASE_URL');
  }
  if (!postgresUrl) console.warn('TEST_DATABASE_URL is not set: tests run on the embedded PGlite only');
  const [devServer, bundle, template] = await Promise.all([
    startDevServer({
      searchAttributes,
      namespace: 'default',
      port: await freePort(),
      log: () => {},
      // Every test stack's worker polls its own task queue as the one test deployment's version (one
      // bundle, one build): a run has some 150 of them, more than the server's usual 100 per version.
      dynamicConfig: { 'matching.maxTaskQueuesInDeploymentVersion': 1000 },
    }),
    bundleWorkflowCode({
      workflowsPath,
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    }),
    pgliteTemplate(),
  ]);
  server = devServer;
  project.provide('temporalAddress', devServer.address);
  project.provide('workflowBundleCode', bundle.code);
  project.provide('postgresUrl', postgresUrl);
  project.provide('pgliteTemplate', template);
}

export async function teardown() {
  await server?.stop();
  if (templateDir) rmSync(templateDir, { recursive: true, force: true });
}
