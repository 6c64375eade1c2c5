/**
 * The API as an AWS Lambda function behind an API Gateway HTTP API: the same Fastify app as `npm run
 * api` (participant forms, admin pages, the integration API, static assets), each event answered
 * through Fastify's in-process request injection by `@fastify/aws-lambda`. The app is built once per
 * instance, at its first event (the cold start): no workflow bundling, no migrations, no schedules on
 * that path (`npm run prepare-release` does those once per release). Nothing it keeps between events
 * is needed by the next one: sessions and rate limits are in PostgreSQL, and the few seconds' memory of
 * pages (api/plugins/short-memory.ts) is safe to lose with the instance.
 */
import awsLambdaFastify, { type PromiseHandler, type LambdaResponse } from '@fastify/aws-lambda';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FastifyInstance } from 'fastify';
import { functionConfig, openShared } from '../platform/shared.js';
import { buildApi } from './app.js';
import { apiServices } from './services.js';

export type ApiHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;

/**
 * Media types sent base64-encoded, as API Gateway asks of anything not text (the CSV export and the
 * calendar files are text). Compressed responses are encoded too (the library's own check).
 */
const BINARY_TYPES = ['application/octet-stream', 'application/pdf', 'application/zip', 'image/png'];

/** A handler serving the app `build` makes, built at the first event and kept for the instance's life. */
export function lambdaApi(build: () => Promise<FastifyInstance>): ApiHandler {
  let proxy: Promise<PromiseHandler<APIGatewayProxyEventV2, LambdaResponse>> | undefined;
  return async (event, context) => {
    proxy ??= build().then(async (app) => {
      await app.ready();
      return awsLambdaFastify<APIGatewayProxyEventV2>(app, {
        binaryMimeTypes: BINARY_TYPES,
        // The database pool and the Temporal connection stay open between events.
        callbackWaitsForEmptyEventLoop: false,
        decorateRequest: false,
      });
    });
    // A failed cold start is not kept: the next event tries again (the database may be back).
    const serve = await proxy.catch((err: unknown) => {
      proxy = undefined;
      throw err;
    });
    return serve(event, context);
  };
}

/** The function's entry (`dist/api/lambda.handler`), configured from its environment and secret. */
export const handler = lambdaApi(async () => {
  const { config, temporal } = await functionConfig('the API function');
  // One event at a time per instance: two connections cover a page's statements and a session's.
  const shared = await openShared(config, console.log, { migrate: false, max: 2 });
  let api: Awaited<ReturnType<typeof apiServices>> | undefined;
  try {
    api = await apiServices(config, temporal, shared);
    // API Gateway serves HTTPS only; PUBLIC_URL says whether people reach it so.
    return await buildApi(api.services, {
      devMailbox: false,
      servedOverHttps: config.publicUrl.protocol === 'https:',
    });
  } catch (err) {
    // The next event tries the cold start again: this one's pool and connection must not stay open.
    await api?.close();
    await shared.db.close();
    throw err;
  }
});
