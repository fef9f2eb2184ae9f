import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { build, type BuildOptions, type Plugin } from 'esbuild';
import { CALLING_COUNTRIES } from '../functions/shared/domain/calling.schema';
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
    // The AWS SDK's browser user-agent parser (34 KB), which the Node.js build of @aws-sdk/core
    // imports lazily and never calls: Lambda's user agent comes from the Node.js provider.
    bowser: stub('no-browser-user-agent.ts'),
    // The SDK's event-stream serde (14 KB): no operation used here has an event stream.
    '@smithy/core/event-streams': stub('no-event-streams.ts'),
    // pdfkit's AES (7 KB, for password-protected PDFs) and PNG decoder (4 KB, for doc.image()):
    // the order summary is neither encrypted nor has images.
    '@noble/ciphers/aes': stub('no-pdf-encryption.ts'),
    'png-js': stub('no-png-images.ts'),
  };
}

/** The bundle group of a function: its `bundleGroup`, and whether it carries the X-Ray SDK. */
export function bundleGroupOf(spec: Pick<FunctionSpec, 'bundleGroup' | 'xraySdk'>): string {
  return `${spec.bundleGroup ?? 'main'}${spec.xraySdk ? '-xray' : ''}`;
}

/**
 * The address templates (@fragaria/address-formatter: OpenCage's templates, state, county codes
 * and abbreviations of every country, about 235 KB of a bundle) cut down to the countries an
 * address can have: the Calling location's schema accepts CALLING_COUNTRIES only. The package is
 * built from its source (src/, the same code its dist/ bundles with the JSON inlined) so that
 * esbuild sees each JSON file and this plugin can trim it; the formatting code is the package's
 * own. test/documents/address-bundle.test.ts checks a bundle formats every such country's address
 * exactly as the full package does.
 */
export function addressTemplatesPlugin(countries: readonly string[] = CALLING_COUNTRIES): Plugin {
  // The Netherlands' template sends Curaçao, Sint Maarten and Aruba (by state) to their own.
  const keep = new Set([...countries, ...(countries.includes('NL') ? ['CW', 'SX', 'AW'] : [])]);
  const pick = (data: Record<string, unknown>, keys: Iterable<string>) =>
    Object.fromEntries([...keys].filter((k) => k in data).map((k) => [k, data[k]]));
  const trimmers: Record<string, (data: Record<string, unknown>) => unknown> = {
    'templates.json': (data) => pick(data, ['default', ...keep]),
    'state-codes.json': (data) => pick(data, keep),
    'county-codes.json': (data) => pick(data, keep),
    'country-to-lang.json': (data) => pick(data, keep),
    // Only used with the `abbreviate` option, by the languages of the countries kept.
    'abbreviations.json': (data) => {
      const toLang = JSON.parse(
        readFileSync(join(srcDir(), 'templates', 'country-to-lang.json'), 'utf8'),
      ) as Record<string, string[]>;
      return pick(data, new Set([...keep].flatMap((c) => toLang[c] ?? [])));
    },
  };
  let dir: string | undefined;
  function srcDir(): string {
    dir ??= join(
      dirname(createRequire(import.meta.url).resolve('@fragaria/address-formatter/package.json')),
      'src',
    );
    return dir;
  }
  return {
    name: 'address-templates',
    setup(b) {
      b.onResolve({ filter: /^@fragaria\/address-formatter$/ }, () => ({ path: join(srcDir(), 'index.js') }));
      b.onLoad(
        { filter: /[\\/]@fragaria[\\/]address-formatter[\\/]src[\\/]templates[\\/][^\\/]+\.json$/ },
        (args) => {
          const data = JSON.parse(readFileSync(args.path, 'utf8')) as Record<string, unknown>;
          const trim = trimmers[basename(args.path)];
          return { contents: JSON.stringify(trim ? trim(data) : data), loader: 'json' };
        },
      );
    },
  };
}

/** A module-scope string constant of an SDK schemas file: `const _hH = "httpHeader";`. */
const SCHEMA_STRING_CONST = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;

/**
 * Inlines the string constants that the AWS SDK clients' schemas (`dist-es/schemas/schemas_0.js`)
 * use as computed keys of their traits (`{ [_h]: ["GET", "/{Bucket}/{Key+}", 200] }` becomes
 * `{ "http": [...] }`). esbuild keeps any object with a computed key made from an identifier,
 * since converting the key to a string might run code, and with it every schema that object
 * sits in and every schema those point to: the clients with REST protocols (S3, SES v2, Lambda)
 * bundled the schemas of all their operations (45-65 KB each) for the one or two they send.
 * With the key written out the schemas are plain literals, and esbuild drops those no command
 * imported reaches. The module means the same: each constant is a `const` string of the same
 * file. test/infra/lambda-bundles.test.ts checks every transformed schemas file exports the same
 * values as the package's own.
 */
export function inlineSchemaKeys(source: string): string {
  const strings = new Map([...source.matchAll(SCHEMA_STRING_CONST)].map((m) => [m[1]!, m[2]!]));
  return source.replace(/\[(_\w+)\]:/g, (key, name: string) => {
    const value = strings.get(name);
    return value === undefined ? key : `${value}:`;
  });
}

/**
 * {@link inlineSchemaKeys} on each AWS SDK client's schemas file; and each client's package.json
 * (2-2.5 KB, which its runtime config imports whole for `packageInfo.version`, the version in its
 * user agent) cut down to its name and version. test/infra/lambda-bundles.test.ts checks no client
 * reads anything else of it.
 */
export function sdkSchemasPlugin(): Plugin {
  return {
    name: 'sdk-schemas',
    setup(b) {
      b.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]package\.json$/ }, (args) => {
        const { name, version } = JSON.parse(readFileSync(args.path, 'utf8')) as Record<string, unknown>;
        return { contents: JSON.stringify({ name, version }), loader: 'json' };
      });
      b.onLoad(
        { filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ },
        (args) => ({
          contents: inlineSchemaKeys(readFileSync(args.path, 'utf8')),
          loader: 'js',
          resolveDir: dirname(args.path),
        }),
      );
    },
  };
}

/** The names a module of a package's ESM build exports (`export const|function|class x`, `export { a as b }`). */
function exportedNames(source: string): string[] {
  const names = [...source.matchAll(/^export (?:const|let|var|function\*?|class) (\w+)/gm)].map((m) => m[1]!);
  for (const m of source.matchAll(/^export \{([^}]*)\}/gm))
    for (const part of m[1]!.split(','))
      if (part.trim())
        names.push(
          part
            .trim()
            .split(/\s+as\s+/)
            .pop()!
            .trim(),
        );
  return names;
}

/** Where zod's json-schema-processors.js turns from aggregateChecks (kept) to the JSON Schema processors. */
const ZOD_PROCESSORS_CUT = '\nconst formatMap = {';
const ZOD_JSON_SCHEMA_STUB = [
  'function jsonSchemaNotBundled() {',
  "  throw new Error('JSON Schema generation (toJSONSchema) is not bundled in this function (infra/bundling.ts)');",
  '}',
].join('\n');

/**
 * zod's JSON Schema generation (to-json-schema.js and the processors of json-schema-processors.js,
 * about 15 KB of every bundle) replaced by functions that throw: the classic API wires a
 * `toJSONSchema()` method and a `~standard.jsonSchema` into every schema, so esbuild cannot leave
 * it out, and no Lambda function generates JSON Schema (scripts/event-schemas.ts does, from
 * source). Kept: `aggregateChecks`, which the schemas' `minLength`, `maxLength`, `minValue`,
 * `maxValue` and `format` read. A zod whose files no longer have this shape fails the build here.
 * test/infra/lambda-bundles.test.ts checks a bundled schema parses and reads its bounds as zod's
 * own, that toJSONSchema says it is not bundled, and that no function bundles our JSON Schemas.
 */
export function zodJsonSchemaPlugin(): Plugin {
  return {
    name: 'zod-json-schema',
    setup(b) {
      const stubs = (names: string[]) =>
        names
          .map((name) =>
            // The classic API calls these when a schema is made and keeps what they return.
            /^create\w*Method$/.test(name)
              ? `export const ${name} = () => jsonSchemaNotBundled;`
              : `export const ${name} = jsonSchemaNotBundled;`,
          )
          .join('\n');
      b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]to-json-schema\.js$/ }, (args) => ({
        contents: `${ZOD_JSON_SCHEMA_STUB}\n${stubs(exportedNames(readFileSync(args.path, 'utf8')))}\n`,
        loader: 'js',
      }));
      b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]core[\\/]json-schema-processors\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        const cut = source.indexOf(ZOD_PROCESSORS_CUT);
        const kept = source.slice(0, cut);
        if (cut < 0 || !/^export function aggregateChecks\(/m.test(kept))
          throw new Error(
            `zod's ${args.path} has changed shape: update zodJsonSchemaPlugin (infra/bundling.ts)`,
          );
        return {
          contents: `${kept}\n${ZOD_JSON_SCHEMA_STUB}\n${stubs(exportedNames(source.slice(cut)))}\n`,
          loader: 'js',
          resolveDir: dirname(args.path),
        };
      });
    },
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
    plugins: [addressTemplatesPlugin(), sdkSchemasPlugin(), zodJsonSchemaPlugin()],
    logLevel: 'warning',
  };
}

/** The module file of a function's bundle; its handler is `<id>.handler`. */
export const bundleEntryFile = (spec: Pick<FunctionSpec, 'id'>) => `${spec.id}.mjs`;
export const bundleHandler = (spec: Pick<FunctionSpec, 'id'>) => `${spec.id}.handler`;

/** The output of {@link buildLambdaBundles}. */
export interface LambdaBuild {
  /** Function id → the directory its files are relative to (its group's build). */
  dirs: Record<string, string>;
  /**
   * Function id → the files it loads: its entry, the chunks the entry imports (statically, or
   * with import() as the tracer is), and their source maps.
   */
  files: Record<string, string[]>;
  /**
   * Function id → the code its module scope imports statically: its entry and those chunks (no
   * source maps). Code behind import() is not in it: the tracer (which observability.ts imports
   * at load when tracing is on), and what a function loads on first use (S3 and SES in the setup
   * pages).
   */
  initFiles: Record<string, string[]>;
  /**
   * Function id → bytes of its code (all of `files`) per package it comes from, largest first:
   * `zod`, `@smithy/core`, ..., and `(our code)` for the repository's own modules. From esbuild's
   * metafile; the bench prints the largest.
   */
  composition: Record<string, [string, number][]>;
}

/** The package an input of esbuild's metafile comes from, or `(our code)`. */
export function packageOfInput(input: string): string {
  const match = /node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(input);
  return match?.[1]?.replace('\\', '/') ?? '(our code)';
}

/** The path of one of a function's files in a {@link LambdaBuild}. */
export function builtFile(built: LambdaBuild, id: string, file: string = bundleEntryFile({ id })): string {
  const dir = built.dirs[id];
  if (!dir) throw new Error(`${id} is not a function of this build`);
  return join(dir, file);
}

/**
 * The functions of `specs` in esbuild builds with code splitting, one per bundle group (run at
 * once): each function's entry is `<id>.mjs`, and code that functions of a group share (the AWS
 * SDK, zod, Powertools, our adapters) is written once to `chunks/`, from where each entry imports
 * what it uses. A function loads the code it reaches, plus what other functions of its group use
 * of a shared file; the builds write about 2.3 MB instead of 10 MB of one bundle per function (a
 * third of the time). Asynchronous, because esbuild runs plugins only in its asynchronous API
 * (see {@link prepareLambdaBundles} for the CDK app).
 */
export async function buildLambdaBundles(
  specs: FunctionSpec[],
  projectRoot: string,
  outdir: string,
): Promise<LambdaBuild> {
  const groups = new Map<string, FunctionSpec[]>();
  for (const spec of specs) {
    const group = bundleGroupOf(spec);
    groups.set(group, [...(groups.get(group) ?? []), spec]);
  }
  const built: LambdaBuild = { dirs: {}, files: {}, initFiles: {}, composition: {} };
  await Promise.all(
    [...groups].map(async ([group, members]) => {
      const dir = join(outdir, group);
      // Without the X-Ray SDK, functions/shared/observability.ts's import of the tracer is dead
      // code, and esbuild leaves it out.
      const define: Record<string, string> = members.some((spec) => spec.xraySdk)
        ? {}
        : { 'process.env.LAMBDA_BUNDLE_XRAY_SDK': '"false"' };
      const result = await build({
        ...lambdaBuildOptions(),
        define,
        absWorkingDir: projectRoot,
        entryPoints: Object.fromEntries(members.map((spec) => [spec.id, resolve(projectRoot, spec.entry)])),
        outdir: dir,
        outExtension: { '.js': '.mjs' },
        splitting: true,
        chunkNames: 'chunks/[name]-[hash]',
        metafile: true,
      });
      const outputs = new Map(
        Object.entries(result.metafile.outputs).map(([path, output]) => [
          relative(dir, resolve(projectRoot, path)),
          output,
        ]),
      );
      const filesOf = (entry: string, init: boolean): string[] => {
        const seen = new Set<string>();
        const visit = (file: string) => {
          if (seen.has(file)) return;
          seen.add(file);
          if (!init && outputs.has(`${file}.map`)) seen.add(`${file}.map`);
          for (const imported of outputs.get(file)?.imports ?? [])
            if (!imported.external && (!init || imported.kind === 'import-statement'))
              visit(relative(dir, resolve(projectRoot, imported.path)));
        };
        visit(entry);
        return [...seen].sort();
      };
      for (const spec of members) {
        built.dirs[spec.id] = dir;
        built.files[spec.id] = filesOf(bundleEntryFile(spec), false);
        built.initFiles[spec.id] = filesOf(bundleEntryFile(spec), true);
        const bytes = new Map<string, number>();
        for (const file of built.files[spec.id] ?? [])
          for (const [input, { bytesInOutput }] of Object.entries(outputs.get(file)?.inputs ?? {}))
            bytes.set(packageOfInput(input), (bytes.get(packageOfInput(input)) ?? 0) + bytesInOutput);
        built.composition[spec.id] = [...bytes].sort((a, b) => b[1] - a[1]);
      }
    }),
  );
  return built;
}

/** A file copied from the repository into the function's bundle. */
export interface BundleFile {
  /** Relative to the repository root. */
  source: string;
  /** Relative to the bundle root (`/var/task` at run time). */
  target: string;
}

/** Extra content of a function's bundle: files from the repository, a package.json. */
export interface BundleExtras {
  files?: BundleFile[];
  packageJson?: Record<string, unknown>;
}

/**
 * Writes one function's bundle to `outputDir` (what Lambda unpacks in /var/task): its files of
 * `built`, its extra files and package.json. The CDK bundling hook and the bundle tests use it.
 */
export function copyFunctionBundle(
  built: LambdaBuild,
  spec: Pick<FunctionSpec, 'id'>,
  projectRoot: string,
  outputDir: string,
  extra: BundleExtras = {},
): void {
  for (const file of built.files[spec.id] ?? []) {
    mkdirSync(dirname(join(outputDir, file)), { recursive: true });
    cpSync(builtFile(built, spec.id, file), join(outputDir, file));
  }
  for (const file of extra.files ?? []) {
    const target = join(outputDir, file.target);
    mkdirSync(dirname(target), { recursive: true });
    cpSync(join(projectRoot, file.source), target, { recursive: true });
  }
  if (extra.packageJson) writeFileSync(join(outputDir, 'package.json'), JSON.stringify(extra.packageJson));
}

let prepared: { key: string; dir: string; build: LambdaBuild } | undefined;

const buildKey = (specs: FunctionSpec[], projectRoot: string) =>
  `${projectRoot}\n${specs.map((s) => `${s.id}=${s.entry}:${bundleGroupOf(s)}`).join('\n')}`;

/**
 * Builds every function of `specs` into a scratch directory for {@link bundleFunction}, which CDK
 * calls synchronously from the function construct's local bundling hook (and esbuild's
 * synchronous API runs no plugins). The CDK app starts this before it loads aws-cdk-lib, so the
 * build (esbuild's own process) runs while the app loads.
 */
export async function prepareLambdaBundles(specs: FunctionSpec[], projectRoot: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-bundles-'));
  prepared = {
    key: buildKey(specs, projectRoot),
    dir,
    build: await buildLambdaBundles(specs, projectRoot, dir),
  };
}

/** Deletes the scratch directory of {@link prepareLambdaBundles} (after synth: CDK has copied the bundles). */
export function disposeLambdaBundles(): void {
  if (prepared) rmSync(prepared.dir, { recursive: true, force: true });
  prepared = undefined;
}

/** The CDK local bundling step of one function: its bundle from {@link prepareLambdaBundles}. */
export function bundleFunction(
  spec: FunctionSpec,
  all: FunctionSpec[],
  projectRoot: string,
  outputDir: string,
  extra: BundleExtras = {},
): void {
  const specs = all.some((s) => s.id === spec.id) ? all : [...all, spec];
  if (prepared?.key !== buildKey(specs, projectRoot) || !existsSync(builtFile(prepared.build, spec.id)))
    throw new Error(
      'The Lambda bundles were not built for these functions: await prepareLambdaBundles() before synth (infra/app.ts does)',
    );
  copyFunctionBundle(prepared.build, spec, projectRoot, outputDir, extra);
}
