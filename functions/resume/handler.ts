import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { logger, metrics, tracing } from '../shared/observability';
import type { WebRequest, WebResponse } from './http.types';
import { parseCookieHeader } from './security';
import { webApp } from './web-app';

// The resume function behind the HTTP API: API Gateway payload v2 in, the web app's response
// out, through hono/aws-lambda. Everything else lives in web-app.ts (a Hono app), which the
// embedded runtime serves the same way with @hono/node-server.

// toWebRequest and toApiGatewayResult are the translation this function did before Hono; nothing
// here calls them now. test/wizard/wizard-units.test.ts still pins them: remove both with it.

export function toWebRequest(event: APIGatewayProxyEventV2): WebRequest {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.headers ?? {}))
    if (value !== undefined) headers[name.toLowerCase()] = value;
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(event.queryStringParameters ?? {})) {
    // Repeated parameters arrive comma-joined; the first value is the one that counts.
    if (value !== undefined) query[name] = value.split(',')[0] ?? '';
  }
  const cookies = parseCookieHeader((event.cookies ?? []).join('; '));
  const body = event.body
    ? event.isBase64Encoded
      ? Buffer.from(event.body, 'base64').toString('utf8')
      : event.body
    : '';
  return {
    method: event.requestContext.http.method,
    path: event.rawPath,
    query,
    headers,
    cookies,
    body,
    sourceIp: event.requestContext.http.sourceIp,
  };
}

export function toApiGatewayResult(response: WebResponse): APIGatewayProxyStructuredResultV2 {
  const binary = Buffer.isBuffer(response.body);
  return {
    statusCode: response.status,
    headers: response.headers,
    cookies: response.cookies ?? [],
    body: binary ? (response.body as Buffer).toString('base64') : (response.body as string),
    isBase64Encoded: binary,
  };
}

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(tracing())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(handle(webApp) as (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>);
