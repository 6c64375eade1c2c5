/**
 * Once per test run: a real Temporal dev server (in memory, on a free port, with the project's search
 * attributes) and one bundle of the workflow code that every test worker loads.
 */
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
  }
}

let server: DevServer | undefined;

export async function setup(project: TestProject) {
  const postgresUrl = process.env.TEST_DATABASE_URL || undefined;
  if (process.env.CI && !postgresUrl) {
    throw new Error('CI must test against a real PostgreSQL server: set TEST_DATABASE_URL');
  }
  if (!postgresUrl) console.warn('TEST_DATABASE_URL is not set: tests run on the embedded PGlite only');
  const [devServer, bundle] = await Promise.all([
    startDevServer({ searchAttributes, namespace: 'default', port: await freePort(), log: () => {} }),
    bundleWorkflowCode({
      workflowsPath,
      failureConverterPath,
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error: console.error, log() {} },
    }),
  ]);
  server = devServer;
  project.provide('temporalAddress', devServer.address);
  project.provide('workflowBundleCode', bundle.code);
  project.provide('postgresUrl', postgresUrl);
}

export async function teardown() {
  await server?.stop();
}
