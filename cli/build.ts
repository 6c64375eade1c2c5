/**
 * `npm run build`: the JavaScript that production runs (`dist/`), and the workflow code bundled once
 * (`dist/workflow-bundle.js`), so a worker starts without webpack and every worker of a deploy runs
 * byte for byte the same workflow code. Templates, locales, migrations and assets stay where they are.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../platform/project.js';
import { failureConverterPath } from '../platform/temporal/data-converter.js';
import { builtWorkflowBundle, workflowsPath } from '../worker/create.js';

const dist = join(projectRoot, 'dist');
rmSync(dist, { recursive: true, force: true });
const started = Date.now();
execFileSync(
  process.execPath,
  [join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'],
  {
    cwd: projectRoot,
    stdio: 'inherit',
  },
);
console.log(`build: compiled to ${dist} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

const { code } = await bundleWorkflowCode({
  workflowsPath,
  failureConverterPath,
  logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
});
mkdirSync(dirname(builtWorkflowBundle), { recursive: true });
writeFileSync(builtWorkflowBundle, code);
console.log(`build: workflow bundle ${builtWorkflowBundle} (${Math.round(code.length / 1024)} KiB)`);
