/**
 * Requests as API Gateway (HTTP API, payload format 2.0) hands them to a Lambda function: the body
 * base64-encoded, cookies in their own list, the client's address in the request context. A `Browser`
 * given `viaApiGateway(handler)` walks the Lambda handler exactly as it walks the server over HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import type { ApiHandler } from '../../api/lambda.js';
import type { Transport } from './http.js';

/** A Lambda context as the runtime gives one, with `seconds` left before the invocation's deadline. */
export function lambdaContext(seconds: number, name = 'mentorflow-test'): Context {
  const deadline = Date.now() + seconds * 1000;
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: name,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:eu-north-1:123456789012:function:${name}`,
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: `/aws/lambda/${name}`,
    logStreamName: 'test',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done() {},
    fail() {},
    succeed() {},
  };
}

export function apiGatewayEvent(url: string, init: RequestInit = {}): APIGatewayProxyEventV2 {
  const u = new URL(url);
  const method = init.method ?? 'GET';
  const headers = Object.fromEntries(new Headers(init.headers));
  const { cookie, ...rest } = headers;
  const body = typeof init.body === 'string' ? init.body : undefined;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: u.pathname,
    rawQueryString: u.search.slice(1),
    ...(cookie ? { cookies: cookie.split(/;\s*/) } : {}),
    headers: { host: u.host, 'user-agent': 'test', ...rest },
    ...(u.search ? { queryStringParameters: Object.fromEntries(u.searchParams) } : {}),
    requestContext: {
      accountId: '123456789012',
      apiId: 'test',
      domainName: u.host,
      domainPrefix: 'test',
      http: { method, path: u.pathname, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
      requestId: randomUUID(),
      routeKey: '$default',
      stage: '$default',
      time: new Date().toUTCString(),
      timeEpoch: Date.now(),
    },
    ...(body === undefined ? {} : { body: Buffer.from(body).toString('base64') }),
    isBase64Encoded: body !== undefined,
  };
}

/** A transport that answers through the handler, the response rebuilt as fetch would give it. */
export function viaApiGateway(handler: ApiHandler): Transport {
  return async (url, init) => {
    const result = await handler(apiGatewayEvent(url, init), lambdaContext(29));
    const headers = new Headers();
    for (const [name, value] of Object.entries(result.headers ?? {})) headers.set(name, String(value));
    for (const cookie of result.cookies ?? []) headers.append('set-cookie', cookie);
    const status = result.statusCode ?? 200;
    const body =
      status === 204 || status === 304 || result.body === undefined
        ? null
        : result.isBase64Encoded
          ? Buffer.from(result.body, 'base64')
          : result.body;
    return new Response(body, { status, headers });
  };
}
