/**
 * Runs scripts one after another, each as its own process (so each cleans up after itself and one
 * failure cannot leave another's processes behind), passing on the arguments (`--short`), echoing
 * their progress and collecting what they print on stdout.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { projectRoot } from '../../platform/project.js';
import { progress } from './run.js';

export interface Ran {
  script: string;
  code: number | null;
  stdout: string;
  seconds: number;
}

export async function runScripts(scripts: string[], args: string[]): Promise<Ran[]> {
  const results: Ran[] = [];
  for (const script of scripts) {
    progress(`== ${script} ${args.join(' ')}`);
    const started = Date.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(projectRoot, script), ...args], {
      cwd: projectRoot,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      process.stderr.write(chunk);
    });
    // Ctrl-C reaches the child too (same process group); wait for it to clean up.
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    results.push({ script, code, stdout: stdout.trim(), seconds: (Date.now() - started) / 1000 });
  }
  return results;
}
