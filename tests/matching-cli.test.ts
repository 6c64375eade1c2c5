/**
 * `npm run match -- <pool.json>` on the example of docs/matching.md, on a pool that is not valid, and on files
 * that are not plain UTF-8 JSON (a byte order mark, Latin-1, an invisible character).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../platform/project.js';

const run = promisify(execFile);
const failure = (err: { code: number; stdout: string; stderr: string }) => err;
/** A pool file with these bytes, in a fresh directory. */
function poolFile(bytes: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), 'pool-')), 'pool.json');
  writeFileSync(file, bytes);
  return file;
}
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

  it('reads a file saved with a byte order mark, as spreadsheet tools save UTF-8', async () => {
    const pool = {
      mentees: [{ id: 'åse', languages: ['nb'] }],
      mentors: [{ id: 'øystein', languages: ['nb'] }],
    };
    const { stdout } = await match(poolFile(`\uFEFF${JSON.stringify(pool)}`));
    expect(JSON.parse(stdout).pairs).toEqual([expect.objectContaining({ mentee: 'åse', mentor: 'øystein' })]);
  });

  it('refuses a file that is not UTF-8 (Latin-1), naming where, rather than reading mangled names', async () => {
    const latin1 = Buffer.from(JSON.stringify({ mentees: [{ id: 'åse' }], mentors: [] }), 'latin1');
    const failed = await match(poolFile(latin1)).then(() => undefined, failure);
    expect(failed?.code).toBe(2);
    expect(failed?.stdout).toBe('');
    expect(failed?.stderr).toMatch(/is not UTF-8 text: byte 0xE5 at line 1, column 20 .*save it as UTF-8/);
  });

  it('shows an invisible character in a message as its code', async () => {
    const failed = await match(poolFile('{"mentees": [],\u200B"mentors": []}')).then(
      () => undefined,
      failure,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain('U+200B');
    expect(failed?.stderr).not.toContain('\u200B');
  });
});
