/**
 * The entry of `npm start`, `npm run api`, `npm run worker` and the other commands: with
 * NODE_ENV=production the build (`npm run build`, in dist/), which needs no TypeScript tooling;
 * otherwise the TypeScript sources through tsx, a development tool.
 *
 *   node cli/run.mjs <module without extension, e.g. worker/main> [arguments…]
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node cli/run.mjs <module, e.g. worker/main> [arguments…]');
  process.exit(2);
}
const root = new URL('..', import.meta.url);
let file;
if (process.env.NODE_ENV === 'production') {
  file = fileURLToPath(new URL(`dist/${entry}.js`, root));
  if (!existsSync(file)) {
    console.error(
      `${entry}: there is no build of it; run \`npm run build\` first (NODE_ENV=production runs dist/)`,
    );
    process.exit(2);
  }
} else {
  const { register } = await import('tsx/esm/api');
  register();
  file = fileURLToPath(new URL(`${entry}.ts`, root));
}
// The module reads its arguments as if node had been started with it.
process.argv = [process.argv[0], file, ...args];
await import(pathToFileURL(file).href);
