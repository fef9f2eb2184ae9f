// Stands in for `@noble/ciphers/aes` (7 KB) in the Lambda bundles (infra/bundling.ts): pdfkit
// uses AES only to encrypt a document opened with a user or owner password, and the order
// summary is not encrypted (it is served through short-lived presigned URLs). The bundle tests
// render a summary through the bundle, so a summary that asked for encryption would fail there.
function notBundled(): never {
  throw new Error('PDF encryption is not bundled in this function (infra/bundling.ts)');
}

export const cbc = notBundled;
export const ecb = notBundled;
