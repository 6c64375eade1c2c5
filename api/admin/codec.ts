/**
 * The codec endpoint (`/admin/codec/decode`, `/admin/codec/encode`) in Temporal's remote codec protocol,
 * so an auditor or administrator sees decoded payloads in the Temporal Web UI (its "Data Encoder"
 * setting, with cross-origin credentials: the admin session) or the CLI (`--codec-endpoint …/admin/codec
 * --codec-auth "Bearer mfc_…"`: a codec token an administrator made on /admin/api-tokens). No password
 * is ever taken here, so the endpoint cannot be used to guess one. Decoding changes nothing, so no CSRF
 * token is asked for; browsers may call it only from the configured origins.
 *
 * Encoding is for administrators signed in: it makes payloads only someone writing to Temporal needs
 * (starting or signalling a workflow from the Web UI or CLI), which auditors, who only read, never do;
 * and a codec token, which a tool keeps on disk, only ever decodes.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErasedPayloadError } from '../../platform/temporal/payload-codec.js';
import { payloadFromJson, payloadToJson } from '../../platform/temporal/history-codec.js';

const JsonPayload = z.object({
  metadata: z.record(z.string(), z.string()).default({}),
  data: z.string().default(''),
});
const Body = z.object({ payloads: z.array(JsonPayload).max(10_000) });

/** What an erased payload decodes to: a JSON string that says so, in place of the data that is gone. */
const ERASED = payloadToJson({
  metadata: { encoding: Buffer.from('json/plain') },
  data: Buffer.from(JSON.stringify('[erased]')),
});

export async function codecRoutes(app: FastifyInstance) {
  const { codec, config } = app.services;
  const access = { decode: 'auditor', encode: 'administrator' } as const;
  // Each request decrypts up to thousands of payloads: a limit per address keeps the load in bounds.
  const rateLimit = { max: 120, timeWindow: '1 minute' };

  app.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: 8 * 1024 * 1024 },
    (_req, body, done) => {
      try {
        done(null, JSON.parse(body as string));
      } catch {
        done(Object.assign(new Error('the body is not JSON'), { statusCode: 400 }), undefined);
      }
    },
  );

  // On every answer, refusals too, so the Web UI can tell "sign in" from a network failure.
  const cors = async (request: FastifyRequest, reply: FastifyReply) => {
    reply.header('vary', 'origin');
    const origin = request.headers.origin;
    if (origin && config.codecCorsOrigins.includes(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('access-control-allow-headers', 'content-type, x-namespace, authorization');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('access-control-max-age', '600');
    }
  };

  for (const direction of ['decode', 'encode'] as const) {
    // The browser's preflight carries no credentials and changes nothing: it learns only which origins
    // may ask, so it needs neither a session nor a CSRF token.
    app.options(
      `/codec/${direction}`,
      { config: { access: 'public', csrf: false }, onRequest: cors },
      async (_request, reply) => reply.code(204).send(),
    );
    const route = { access: access[direction], csrf: false, codecToken: true, rateLimit } as const;
    app.post(`/codec/${direction}`, { config: route, onRequest: cors }, async (request, reply) => {
      const body = Body.safeParse(request.body);
      if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
      const payloads = body.data.payloads.map(payloadFromJson);
      const namespace = String(request.headers['x-namespace'] ?? '');
      const by = request.adminUser ? { by: request.adminUser.id } : { codecToken: request.codecToken!.id };
      request.log.info({ direction, count: payloads.length, namespace, ...by }, 'codec');
      if (direction === 'encode') return { payloads: (await codec.encode(payloads)).map(payloadToJson) };
      const decoded = await Promise.all(
        payloads.map(async (p) => {
          try {
            return payloadToJson((await codec.decode([p]))[0]!);
          } catch (err) {
            if (err instanceof ErasedPayloadError) return ERASED;
            // A key this deployment does not hold (another deployment's payload, say) leaves that payload
            // as it came; the rest of the batch still decodes.
            request.log.warn({ err: (err as Error).message }, 'codec: a payload could not be decoded');
            return payloadToJson(p);
          }
        }),
      );
      return { payloads: decoded };
    });
  }
}
