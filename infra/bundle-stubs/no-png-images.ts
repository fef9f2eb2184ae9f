// Stands in for `png-js` (4 KB) in the Lambda bundles (infra/bundling.ts): pdfkit decodes PNG
// only for doc.image(), and the order summary draws no images (text, lines and fonts). The bundle
// tests render a summary through the bundle, so a summary that drew a PNG would fail there.
export default class PNG {
  constructor() {
    throw new Error('PNG images are not bundled in this function (infra/bundling.ts)');
  }
}
