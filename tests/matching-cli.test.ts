/** `npm run match -- <pool.json>` on the README's example, and on a pool that is not valid. */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../lib/temporal-cli.js';

const run = promisify(execFile);
const match = (file: string) =>
  run(process.execPath, ['--import', 'tsx', join(projectRoot, 'cli', 'match.ts'), file], {
    cwd: projectRoot,
  });

describe('npm run match', () => {
  it('prints the proposal for the example pool as JSON', async () => {
    const { stdout } = await match(join(projectRoot, 'examples', 'matching-pool.json'));
    const proposal = JSON.parse(stdout);
    expect(proposal.pairs.map((p: { mentee: string; mentor: string }) => `${p.mentee}-${p.mentor}`)).toEqual([
      'ida-ole',
      'sofie-lars',
    ]);
    expect(proposal.unmatched).toEqual([
      expect.objectContaining({ mentee: 'jens', reason: 'no-mentor-fits' }),
    ]);
    expect(proposal.totalScore).toBe(
      proposal.pairs.reduce((sum: number, p: { score: number }) => sum + p.score, 0),
    );
  });

  it('names what is wrong with a pool that is not valid, and prints no proposal', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pool-')), 'pool.json');
    writeFileSync(
      file,
      JSON.stringify({ mentees: [{ id: 'a' }, { id: 'a' }], mentors: [{ id: 'm', capacity: -1 }] }),
    );
    const failed = await match(file).then(
      () => undefined,
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toContain('duplicate id a');
    expect(failed?.stderr).toContain('mentors[0].capacity');
  });
});
