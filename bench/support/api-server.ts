/**
 * The API process of the web benchmarks: exactly what `npm run api` runs (api/main.ts), plus, in the
 * same process, a bare Fastify app with one hello-world route on HELLO_PORT, the baseline that the
 * form pages are measured against.
 */
import Fastify from 'fastify';

const hello = Fastify({ logger: false });
hello.get('/', async () => 'hello world');
await hello.listen({ host: '127.0.0.1', port: Number(process.env.HELLO_PORT) });
// Closed with the API, so the process ends of itself on SIGTERM (and writes its CPU profile, if asked).
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => void hello.close());
await import('../../api/main.js');
