import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { handle } from 'hono/aws-lambda';
import { logger, metrics, tracing } from '../shared/observability';
import { webApp } from './web-app';

// The resume function behind the HTTP API: API Gateway payload v2 in, the web app's response
// out, through hono/aws-lambda. Everything else lives in web-app.ts (a Hono app), which the
// embedded runtime serves the same way with @hono/node-server.

export const handler = middy<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>()
  .use(tracing())
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(logMetrics(metrics))
  .handler(handle(webApp) as (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>);
