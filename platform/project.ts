/**
 * Where the project's files are, the same whether this process runs the TypeScript sources (under tsx,
 * in development and tests) or the build in `dist/` (production): templates, locales, migrations and
 * static assets are read from the project's folders, never copied into the build.
 */
import { existsSync } from 'node:fs';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

/** The folder of package.json: `dist/` has none, so the build finds the same root as the sources. */
export const projectRoot = findRoot(dirname(fileURLToPath(import.meta.url)));

/**
 * A module beside `base` (an `import.meta.url`) as this process runs it: `.ts` from the sources, `.js`
 * from the build. For the paths the Temporal SDK loads itself (workflow code, failure converter).
 */
export function moduleBeside(base: string, relative: string): string {
  const ext = extname(fileURLToPath(base));
  return fileURLToPath(new URL(`${relative}${ext}`, base));
}
