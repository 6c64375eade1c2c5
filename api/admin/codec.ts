/**
 * The codec endpoint (`/admin/codec/decode`, `/admin/codec/encode`) in Temporal's remote codec protocol,
 * so an auditor or administrator sees decoded payloads in the Temporal Web UI (its "Data Encoder"
 * setting, with cross-origin credentials) or the CLI (`--codec-endpoint …/admin/codec --codec-auth
 * "Basic …"`). Nobody else gets past the role check. Decoding changes nothing, so no CSRF token is asked
 * for; browsers may call it only from the configured origins, and only with the admin session.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ErasedPayloadError } from '../../lib/payload-codec.js';
import { payloadFromJson, payloadToJson } from '../../lib/history-codec.js';

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
  const route = { access: 'auditor', csrf: false, basicAuth: true } as const;
  // Each request with Basic credentials costs an argon2id check: a limit keeps guessing and load in bounds.
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

  const cors = (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin && config.codecCorsOrigins.includes(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('access-control-allow-headers', 'content-type, x-namespace, authorization');
      reply.header('access-control-allow-methods', 'POST, OPTIONS');
      reply.header('vary', 'origin');
    }
  };

  for (const direction of ['decode', 'encode'] as const) {
    // The browser's preflight carries no credentials; it learns only which origins may ask.
    app.options(`/codec/${direction}`, { config: { access: 'public' } }, async (request, reply) => {
      cors(request, reply);
      return reply.code(204).send();
    });
    app.post(`/codec/${direction}`, { config: { ...route, rateLimit } }, async (request, reply) => {
      cors(request, reply);
      const body = Body.safeParse(request.body);
      if (!body.success) return reply.code(400).send({ error: z.prettifyError(body.error) });
      const payloads = body.data.payloads.map(payloadFromJson);
      const namespace = String(request.headers['x-namespace'] ?? '');
      request.log.info({ direction, count: payloads.length, namespace, by: request.adminUser!.id }, 'codec');
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
