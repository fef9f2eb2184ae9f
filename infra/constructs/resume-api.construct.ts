import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Validations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/**
 * The HTTP API in front of the resume function (the setup wizard's pages and form posts).
 * Built in two steps: the API and its URL first, because every function that emails a setup link
 * needs the URL; the route to the resume function once that function exists.
 */
export class ResumeApi extends Construct {
  readonly api: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly accessLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: { logRetention: logs.RetentionDays }) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Setup pages of the subscription provisioning workflow',
      createDefaultStage: false,
    });
    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    // `$default` so the paths the function sees have no stage prefix. The log format leaves out
    // the request path on purpose: setup paths carry link ids, which are bearer secrets.
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogGroup),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            requestTime: '$context.requestTime',
            ip: '$context.identity.sourceIp',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
  }

  /** Base URL of the pages, e.g. https://abc123.execute-api.eu-west-1.amazonaws.com (no trailing slash). */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Every GET and POST, at the root and below, goes to the resume function. */
  routeTo(fn: lambda.IFunction): void {
    const integration = new HttpLambdaIntegration('ResumeIntegration', fn);
    const methods = [apigwv2.HttpMethod.GET, apigwv2.HttpMethod.POST];
    const routes = [
      ...this.api.addRoutes({ path: '/', methods, integration }),
      ...this.api.addRoutes({ path: '/{proxy+}', methods, integration }),
    ];
    for (const route of routes) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'The setup pages are for people without accounts: each request is authorised by its setup link, a 192-bit ' +
          'random id of which only the SHA-256 is stored (expiring, revocable), and on posts by an HMAC-signed session ' +
          'cookie with a CSRF token, checked by the function.',
      });
    }
  }
}
