/**
 * The summary line CI reads ("tests: N passed, N failed, N skipped") must not say 0 failed of a run
 * that failed. A tiny vitest run of its own, in a temporary folder with its own config (no global
 * setup, no Temporal), meets what fails outside a test: a file that does not load, a file with a
 * syntax error, a beforeAll that throws (its tests are skipped), an afterAll that throws after its
 * test passed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const reporter = fileURLToPath(new URL('./helpers/summary-reporter.ts', import.meta.url));
const vitestCli = fileURLToPath(new URL('../node_modules/vitest/vitest.mjs', import.meta.url));

const FIXTURES: Record<string, string> = {
  // Globals, not imports: the folder is outside the project, where `vitest` does not resolve.
  'vitest.config.mjs': `export default { test: { globals: true, include: ['*.test.js'], reporters: [${JSON.stringify(reporter)}] } };\n`,
  'passes.test.js': `test('passes', () => {});\ntest.skip('is skipped', () => {});\n`,
  'before-all.test.js': `beforeAll(() => { throw new Error('beforeAll broke'); });\ntest('one', () => {});\ntest('two', () => {});\n`,
  'after-all.test.js': `afterAll(() => { throw new Error('afterAll broke'); });\ntest('passes before it', () => {});\n`,
  'broken-import.test.js': `import './does-not-exist.js';\ntest('never collected', () => {});\n`,
  'syntax-error.test.js': `test('never collected', () => {\n`,
};

describe('the summary reporter', () => {
  let dir: string;
  let run: ReturnType<typeof spawnSync>;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'summary-reporter-'));
    for (const [name, text] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), text);
    run = spawnSync(
      process.execPath,
      [vitestCli, 'run', '--root', dir, '--config', join(dir, 'vitest.config.mjs')],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
        // The fixture run is a vitest of its own, not a worker of this one.
        env: {
          ...process.env,
          NO_COLOR: '1',
          VITEST: undefined,
          VITEST_POOL_ID: undefined,
          VITEST_WORKER_ID: undefined,
        },
      },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('counts files that fail to run and hooks that fail outside a test as failed', () => {
    const out = String(run.stdout);
    expect(run.status, `${out}\n${String(run.stderr)}`).toBe(1);
    // 2 passed (passes, passes before it); 4 failed: 3 files that did not run (broken import, syntax
    // error, beforeAll) and 1 afterAll; 3 skipped (is skipped, and the beforeAll file's two tests).
    expect(out).toContain('tests: 2 passed, 4 failed, 3 skipped');
    expect(out).toContain(
      'files failed to run: 3 (before-all.test.js, broken-import.test.js, syntax-error.test.js)',
    );
    expect(out).toContain('hooks failed outside a test: 1 (after-all.test.js)');
  });
});
