// Stands in for the `brotli/decompress.js` that fontkit imports for WOFF2 fonts (475 KB) in the
// Lambda bundles (infra/bundling.ts): the order summary embeds TrueType fonts only.
export default function decompress(): never {
  throw new Error('WOFF2 fonts are not supported in this bundle; use TrueType (.ttf) fonts');
}
