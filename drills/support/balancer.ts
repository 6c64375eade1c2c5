/**
 * A load balancer in front of several API instances, as a drill needs one: round robin over the
 * instances whose `/readyz` answered 200 at the last check (every 250 ms), so an instance that drains
 * for a restart gets no new people; a request whose instance refuses or resets the connection goes to
 * the next (safe: a form that did reach it is stored once, by its submission id). It never answers 5xx
 * itself but when no instance is left (502), which a drill counts as a failure.
 */
import { createServer, request as forward, type IncomingMessage, type Server } from 'node:http';

export interface Balancer {
  server: Server;
  /** The instances' ports, changed as instances come and go. */
  targets: Set<number>;
  close(): Promise<void>;
}

export async function startBalancer(port: number): Promise<Balancer> {
  const targets = new Set<number>();
  const ready = new Set<number>();
  let next = 0;

  const check = async () => {
    for (const target of targets) {
      const ok = await fetch(`http://127.0.0.1:${target}/readyz`, {
        signal: AbortSignal.timeout(2_000),
      }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) ready.add(target);
      else ready.delete(target);
    }
    for (const target of ready) if (!targets.has(target)) ready.delete(target);
  };
  const checking = setInterval(() => void check(), 250);

  const send = (req: IncomingMessage, body: Buffer, target: number) =>
    new Promise<IncomingMessage>((resolve, reject) => {
      const out = forward(
        {
          host: '127.0.0.1',
          port: target,
          method: req.method,
          path: req.url,
          headers: req.headers,
          // A connection of its own: a kept-alive one an instance closes while draining could fail a request.
          agent: false,
        },
        resolve,
      );
      out.once('error', reject);
      out.end(body);
    });

  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const candidates = [...ready];
    for (let i = 0; i < candidates.length; i++) {
      const target = candidates[(next + i) % candidates.length]!;
      try {
        const answer = await send(req, body, target);
        next++;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        return;
      } catch (err) {
        // Refused or reset before an answer: the instance is going away; the next one takes it (a form
        // sent twice is stored once: its submission id is the Update's id).
        if (
          (err as NodeJS.ErrnoException).code !== 'ECONNREFUSED' &&
          (err as NodeJS.ErrnoException).code !== 'ECONNRESET'
        )
          break;
        ready.delete(target);
      }
    }
    res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('no API instance is ready');
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    server,
    targets,
    async close() {
      clearInterval(checking);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
