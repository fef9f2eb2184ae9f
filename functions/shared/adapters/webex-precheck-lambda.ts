// What webex-precheck-invoker.ts uses of Lambda, in one module it imports on first use: the setup
// pages load the Lambda client only when a page runs the Webex precheck (on AWS), not at cold start.
export { InvokeCommand } from '@aws-sdk/client-lambda';
export { lambda } from '../clients/lambda';
