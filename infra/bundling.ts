import { cpSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildSync, type BuildOptions } from 'esbuild';
import type { FunctionSpec } from '../functions/registry';

// How every Lambda bundle is built: by the CDK app (the function construct's local bundling hook,
// one esbuild build for all functions), by the bundle tests and by the bench, with these options.

// ESM bundles, because pdfkit (and other ESM-first packages) locate their files from
// import.meta.url, which a CommonJS bundle leaves empty. The banner gives the CommonJS packages
// inside the bundle the `require`, `__filename` and `__dirname` they expect.
export const BUNDLE_TARGET = 'node24';
export const BUNDLE_MAIN_FIELDS = ['module', 'main'] as const;
export const ESM_BANNER = [
  "import { createRequire as __cr } from 'node:module';",
  "import { fileURLToPath as __fu } from 'node:url';",
  "import { dirname as __dn } from 'node:path';",
  'const require = __cr(import.meta.url);',
  'const __filename = __fu(import.meta.url);',
  'const __dirname = __dn(__filename);',
].join(' ');

/**
 * Stand-ins for code a Lambda bundle never runs (import path → a module of infra/bundle-stubs/),
 * as esbuild aliases.
 */
export function bundleStubs(): Record<string, string> {
  const stub = (file: string) => join(import.meta.dirname, 'bundle-stubs', file);
  return {
    // fontkit's WOFF2 decoder (brotli, 475 KB): the summary embeds TrueType fonts only.
    'brotli/decompress.js': stub('no-woff2.ts'),
    // The AWS SDK's default credential chain (SSO, INI files, IMDS, STS: about 90 KB): Lambda
    // hands a function its role's credentials in the environment, and nothing else is asked.
    '@aws-sdk/credential-provider-node': stub('lambda-credentials.ts'),
    semver: stub('no-sdk-v2-capture.ts'),
  };
}

/** The options of every Lambda bundle (without entry points and output). */
export function lambdaBuildOptions(): BuildOptions {
  return {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: BUNDLE_TARGET,
    mainFields: [...BUNDLE_MAIN_FIELDS],
    banner: { js: ESM_BANNER },
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    // The SDK is bundled rather than taken from the runtime, so the versions pinned in the
    // lockfile are the ones that run (the runtime's copy changes under us).
    external: [],
    alias: bundleStubs(),
    logLevel: 'warning',
  };
}

/** Where the bundle of `spec` lands in an output directory of {@link buildLambdaBundles}. */
export const bundleEntryName = (spec: FunctionSpec) => `${spec.id}/index`;

/**
 * One esbuild build for all `specs` (synchronous: CDK's local bundling hook is): each bundle is
 * `<outdir>/<id>/index.mjs` with its source map. One build instead of one `npx esbuild` process
 * per function, so the shared code (the AWS SDK, zod, our adapters) is parsed once.
 */
export function buildLambdaBundles(specs: FunctionSpec[], projectRoot: string, outdir: string): void {
  buildSync({
    ...lambdaBuildOptions(),
    absWorkingDir: projectRoot,
    entryPoints: Object.fromEntries(
      specs.map((spec) => [bundleEntryName(spec), join(projectRoot, spec.entry)]),
    ),
    outdir,
    outExtension: { '.js': '.mjs' },
  });
}

/** A file copied from the repository into the function's bundle. */
export interface BundleFile {
  /** Relative to the repository root. */
  source: string;
  /** Relative to the bundle root (`/var/task` at run time). */
  target: string;
}

let built: { key: string; dir: string } | undefined;

/**
 * The CDK local bundling step of one function: the first call builds every function of `all`
 * at once (cached for the process), each call copies its function's bundle, extra files and
 * package.json to `outputDir`.
 */
export function bundleFunction(
  spec: FunctionSpec,
  all: FunctionSpec[],
  projectRoot: string,
  outputDir: string,
  extra: { files?: BundleFile[]; packageJson?: Record<string, unknown> } = {},
): void {
  const specs = all.some((s) => s.id === spec.id) ? all : [...all, spec];
  const key = `${projectRoot}\n${specs.map((s) => `${s.id}=${s.entry}`).join('\n')}`;
  if (built?.key !== key || !existsSync(built.dir)) {
    const dir = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
    buildLambdaBundles(specs, projectRoot, dir);
    built = { key, dir };
  }
  cpSync(join(built.dir, spec.id), outputDir, { recursive: true });
  for (const file of extra.files ?? []) {
    const target = join(outputDir, file.target);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(projectRoot, file.source), target, { recursive: true });
  }
  if (extra.packageJson) writeFileSync(join(outputDir, 'package.json'), JSON.stringify(extra.packageJson));
}
