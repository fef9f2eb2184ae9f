// Stands in for `bowser` in the Lambda bundles (infra/bundling.ts): @aws-sdk/core imports it
// lazily to parse a browser's user agent, which never happens in Node.js.
export function parse(): never {
  throw new Error('bowser is not bundled: the AWS SDK parses a browser user agent only in a browser');
}
export default { parse };
