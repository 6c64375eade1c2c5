/**
 * `npm run build`: the JavaScript that production runs (`dist/`), and the workflow code bundled once
 * (`dist/workflow-bundle.js`), so a worker starts without webpack and every worker of a deploy runs
 * byte for byte the same workflow code. Templates, locales, migrations and assets are read from their
 * folders, not copied into `dist/`.
 *
 *   npm run build                      into dist/
 *   npm run build -- --deploy <dir>    also a folder with everything production needs (DEPLOY_FILES):
 *                                      then `npm ci --omit=dev` there, and `NODE_ENV=production npm start`
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleWorkflowCode } from '@temporalio/worker';
import { projectRoot } from '../platform/project.js';
import { failureConverterPath } from '../platform/temporal/data-converter.js';
import { builtWorkflowBundle, workflowsPath } from '../worker/create.js';

/** What a production deployment holds beside the build: no TypeScript, no tests, no tools. */
export const DEPLOY_FILES = [
  'package.json',
  'package-lock.json',
  'cli/run.mjs',
  'api/assets',
  'locales',
  'templates',
  'platform/db/migrations',
];

const { values } = parseArgs({ options: { deploy: { type: 'string' } } });
const dist = join(projectRoot, 'dist');
rmSync(dist, { recursive: true, force: true });
const started = Date.now();
const tsc = join(projectRoot, 'node_modules', 'typescript', 'bin', 'tsc');
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: projectRoot, stdio: 'inherit' });
console.log(`build: compiled to ${dist} (${((Date.now() - started) / 1000).toFixed(1)} s)`);

const { code } = await bundleWorkflowCode({
  workflowsPath,
  failureConverterPath,
  logger: { trace() {}, debug() {}, info() {}, warn: console.warn, error: console.error, log() {} },
});
mkdirSync(dirname(builtWorkflowBundle), { recursive: true });
writeFileSync(builtWorkflowBundle, code);
console.log(`build: workflow bundle ${builtWorkflowBundle} (${Math.round(code.length / 1024)} KiB)`);

if (values.deploy) {
  for (const path of ['dist', ...DEPLOY_FILES])
    cpSync(join(projectRoot, path), join(values.deploy, path), { recursive: true });
  console.log(`build: deployment in ${values.deploy}; next: npm ci --omit=dev there`);
}
