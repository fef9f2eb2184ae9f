import { execFile, execFileSync } from 'node:child_process';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../functions/registry';
import { PROJECT_ROOT } from '../../infra/create-app';
import {
  buildLambdaBundles,
  builtFile,
  bundleEntryFile,
  copyFunctionBundle,
  lambdaBuildOptions,
  sdkSchemasPlugin,
} from '../../infra/bundling';
import { PDF_BUNDLE_FILES, PDF_PACKAGE_JSON } from '../../infra/workflow.stack';
import { startLocalS3 } from '../documents/local-s3';
import { zodProbe } from './zod-probe.fixture';

// The other infra tests skip bundling. These build the bundles the way `cdk synth` does
// (infra/bundling.ts: one esbuild build for every function) and run them in a separate Node
// process with nothing but the bundle directory to read from, the way Lambda loads them from
// /var/task.

/**
 * Size budget per bundle: the code a function ships (KB, minified: its entry and every chunk it
 * imports, the tracer's included where it is bundled; chunks are shared within a bundle group, so
 * code other functions of the group use rides along in a shared file). Cold start grows with it
 * (about 85-90 ms per MB to load), so a bundle that grows past its budget fails here;
 * docs/performance.md has what is in each and why it is not smaller.
 * Set a few per cent above the sizes of 2026-12-07 (bench/README.md).
 */
const BUDGET_KB: Record<string, number> = {
  // pdfkit and fontkit (about 355 KB), the S3 client, the address templates of the supported
  // countries, the time zone data (@vvo/tzdb, 45 KB: zones named as the form names them). The
  // budget is issue 19's bound: 1 MB.
  RenderSummary: 1024,
  // The setup pages: six AWS clients (DynamoDB, S3, SES, Step Functions, Secrets Manager, and
  // Lambda to invoke WebexPrecheck: the Webex client left), Hono, the wizard's two catalogs, the
  // time zone data (@vvo/tzdb, 45 KB), the address templates. S3 and SES are in chunks imported on
  // first use (checked below).
  Resume: 825,
  // Three AWS clients each: Step Functions, SES and EventBridge (their domain events).
  CancelOrder: 450,
  RecordFailure: 450,
  // SES and EventBridge.
  CompleteOrder: 420,
  ExpireOrder: 420,
  // SES: issue 19's bound of 400 KB.
  RequestInput: 400,
  HandOff: 400,
  SendReminder: 400,
  // The functions that call Webex carry the X-Ray SDK and the Powertools tracer (90 KB).
  MapOrganization: 490,
  CreateOrganization: 490,
  ProvisionMeetings: 490,
  ProvisionCalling: 490,
  CheckWebexJob: 490,
};
const DEFAULT_BUDGET_KB = 375;

const configEnv = {
  PATH: process.env.PATH ?? '',
  AWS_REGION: 'eu-west-1',
  TABLE_NAME: 'table',
  BUCKET_NAME: 'bucket',
  SENDER_EMAIL: 'provisioning@example.com',
  OPS_EMAIL: 'ops@example.com',
  PUBLIC_BASE_URL: 'https://setup.example.com',
  LINK_TTL_SECONDS: '1209600',
  SUMMARY_URL_TTL_SECONDS: '900',
  POWERTOOLS_METRICS_DISABLED: 'true',
  POWERTOOLS_TRACE_ENABLED: 'false',
};

const scratch: string[] = [];
function scratchDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

describe('Lambda bundles', () => {
  it('every function’s bundle loads, exports its handler and keeps to its size budget', async () => {
    const outdir = scratchDir('lambda-bundles-');
    const built = await buildLambdaBundles(ALL_FUNCTIONS, PROJECT_ROOT, join(outdir, 'build'));
    // What each function loads: its entry and its chunks (source maps aside).
    const code = (id: string) => (built.files[id] ?? []).filter((file) => file.endsWith('.mjs'));
    const sizes = Object.fromEntries(
      ALL_FUNCTIONS.map((spec) => [
        spec.id,
        Math.round(
          code(spec.id).reduce((sum, f) => sum + statSync(builtFile(built, spec.id, f)).size, 0) / 1024,
        ),
      ]),
    );
    const overBudget = Object.entries(sizes).filter(([id, kb]) => kb > (BUDGET_KB[id] ?? DEFAULT_BUDGET_KB));
    expect(overBudget, `bundle sizes (KB): ${JSON.stringify(sizes)}`).toEqual([]);
    // Never in a bundle: zod's locales, fontkit's WOFF2 decoder, the SDK's SSO/INI credential chain.
    for (const spec of ALL_FUNCTIONS)
      for (const file of code(spec.id)) {
        const text = readFileSync(builtFile(built, spec.id, file), 'utf8');
        expect(text).not.toContain('Zu klein: erwartet');
        expect(text).not.toContain('sso_start_url');
        expect(text).not.toContain('Invalid reserved bit');
        // zod's JSON Schema generation (zodJsonSchemaPlugin), and so our events' JSON Schemas.
        expect(text).not.toContain('draft-2020-12');
      }
    // The X-Ray SDK only in the functions bundled with it (functions/registry.ts, `xraySdk`).
    const withXray = ALL_FUNCTIONS.filter((spec) =>
      code(spec.id).some((f) =>
        readFileSync(builtFile(built, spec.id, f), 'utf8').includes('AWS_XRAY_DAEMON_ADDRESS'),
      ),
    ).map((spec) => spec.id);
    expect(withXray).toEqual(ALL_FUNCTIONS.filter((spec) => spec.xraySdk).map((spec) => spec.id));
    expect(withXray.length).toBeGreaterThan(0);
    // The setup pages' cold start loads neither S3 (the done page's download link) nor SES with
    // the email templates (a new link), nor Lambda (the Webex precheck, on AWS): document-store.ts,
    // mailer.ts and webex-precheck-invoker.ts import them on first use.
    const text = (id: string, files: string[]) =>
      files
        .filter((f) => f.endsWith('.mjs'))
        .map((f) => readFileSync(builtFile(built, id, f), 'utf8'))
        .join('\n');
    const resumeInit = text('Resume', built.initFiles.Resume ?? []);
    const resumeAll = text('Resume', built.files.Resume ?? []);
    for (const marker of ['"GetObject"', '"SendEmail"', 'The Webex provisioning team', '"Invoke"'])
      expect([resumeAll.includes(marker), resumeInit.includes(marker)], marker).toEqual([true, false]);
    expect(resumeInit).toContain('"GetItem"');
    // Each function from a directory of its own files only, as on AWS: X-Ray tracing on, so the
    // module scope of a function bundled with the X-Ray SDK also loads the tracer's chunk.
    const loaded = ALL_FUNCTIONS.map((spec) => {
      const task = join(outdir, 'task', spec.id);
      copyFunctionBundle(built, spec, PROJECT_ROOT, task);
      const env: Record<string, string> = { ...configEnv, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };
      delete env.POWERTOOLS_TRACE_ENABLED;
      const output = execFileSync(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          'const m = await import(process.argv[1]); process.stdout.write(typeof m.handler);',
          join(task, bundleEntryFile(spec)),
        ],
        { cwd: task, env, encoding: 'utf8' },
      );
      return [spec.id, output];
    });
    expect(Object.fromEntries(loaded)).toEqual(
      Object.fromEntries(ALL_FUNCTIONS.map((spec) => [spec.id, 'function'])),
    );
  });

  it('the PDF renderer’s bundle renders an order summary with the bundled DejaVu fonts', async () => {
    const outdir = scratchDir('pdf-bundle-');
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { renderOrderSummary } from '${join(PROJECT_ROOT, 'functions/shared/documents/order-summary')}';`,
        `import { summaryInput } from '${join(PROJECT_ROOT, 'test/documents/summary-fixtures')}';`,
        'const pdf = await renderOrderSummary(summaryInput(2));',
        "process.stdout.write(pdf.subarray(0, 8).toString('latin1') + ' ' + pdf.length);",
      ].join('\n'),
    );
    // Built with the render step itself, in its bundle group, as the CDK app builds it: pdfkit
    // lands in a chunk both share (chunks/), from where it still finds its standard fonts.
    const check = { id: 'RenderCheck', entry, bundleGroup: 'documents' as const };
    const renderStep = ALL_FUNCTIONS.filter((spec) => spec.id === 'RenderSummary');
    const built = await buildLambdaBundles([...renderStep, check], PROJECT_ROOT, join(outdir, 'build'));
    const chunks = (built.files.RenderCheck ?? []).filter(
      (f) => f.startsWith('chunks/') && f.endsWith('.mjs'),
    );
    expect(
      chunks.some((f) => readFileSync(builtFile(built, check.id, f), 'utf8').includes('PDFDocument')),
    ).toBe(true);
    const bundleDir = join(outdir, 'task');
    copyFunctionBundle(built, check, PROJECT_ROOT, bundleDir, {
      files: PDF_BUNDLE_FILES,
      packageJson: PDF_PACKAGE_JSON,
    });

    const output = execFileSync(process.execPath, [join(bundleDir, bundleEntryFile(check))], {
      cwd: bundleDir,
      env: { ...configEnv, FONT_DIR: join(bundleDir, 'fonts') },
      encoding: 'latin1',
    });
    expect(output).toMatch(/^%PDF-1\.\d \d{4,}/);
    expect(readFileSync(join(bundleDir, 'fonts', 'DejaVuSans.ttf')).length).toBeGreaterThan(100_000);
  });

  it('bundled S3 and SES clients, their schemas’ keys written out, store, presign, fetch and send through local S3 and SES', async () => {
    // sdkSchemasPlugin changes the modules the REST protocols read their HTTP bindings from
    // (headers, labels, payloads); this sends our own document-store and mailer calls through a
    // bundle built as the functions' are (code splitting, S3 and SES in chunks loaded on first use).
    const s3 = await startLocalS3();
    const ses = await (
      createRequire(import.meta.url)('aws-ses-v2-local') as {
        default: (c: { host: string; port: number }) => Promise<Server>;
      }
    ).default({ host: '127.0.0.1', port: 0 });
    try {
      const sesEndpoint = `http://127.0.0.1:${(ses.address() as AddressInfo).port}`;
      const outdir = scratchDir('lambda-send-');
      const entry = join(outdir, 'entry.ts');
      writeFileSync(
        entry,
        [
          `import { presignSummary, storeSummary } from '${join(PROJECT_ROOT, 'functions/shared/documents/document-store')}';`,
          `import { sendEmail } from '${join(PROJECT_ROOT, 'functions/shared/documents/mailer')}';`,
          `import { emailRequest } from '${join(PROJECT_ROOT, 'test/documents/email-requests')}';`,
          "const pdf = Buffer.from('%PDF-1.4 bundled ș', 'utf8');",
          "const key = await storeSummary('ORD-BUNDLE-1', pdf);",
          'const { url } = await presignSummary(key, 60);',
          'const res = await fetch(url);',
          "const body = Buffer.from(await res.arrayBuffer()).toString('utf8');",
          "const sent = await sendEmail({ ...emailRequest('welcome', 'ro'), orderId: 'ORD-BUNDLE-1' });",
          "const headers = ['content-type', 'content-disposition'].map((h) => res.headers.get(h));",
          'process.stdout.write(JSON.stringify({ key, status: res.status, headers, body, messageId: sent.messageId }));',
        ].join('\n'),
      );
      const check = { id: 'SendCheck', entry, bundleGroup: 'documents' as const };
      const built = await buildLambdaBundles([check], PROJECT_ROOT, join(outdir, 'build'));
      expect(built.initFiles.SendCheck?.length).toBeLessThan(
        (built.files.SendCheck ?? []).filter((f) => f.endsWith('.mjs')).length,
      );
      const task = join(outdir, 'task');
      copyFunctionBundle(built, check, PROJECT_ROOT, task);
      // Asynchronously: the local S3 and SES answer from this process.
      const { stdout: output } = await promisify(execFile)(
        process.execPath,
        [join(task, bundleEntryFile(check))],
        {
          cwd: task,
          env: { ...configEnv, S3_ENDPOINT: s3.endpoint, BUCKET_NAME: s3.bucket, SES_ENDPOINT: sesEndpoint },
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      const result = JSON.parse(output) as { messageId: string };
      expect(result).toEqual({
        key: 'orders/ORD-BUNDLE-1/order-summary.pdf',
        status: 200,
        headers: ['application/pdf', 'attachment; filename="order-summary-ORD-BUNDLE-1.pdf"'],
        body: '%PDF-1.4 bundled ș',
        messageId: expect.any(String) as string,
      });
      const store = (await (await fetch(`${sesEndpoint}/store`)).json()) as {
        emails: { messageId: string; subject: string; destination: { to: string[] } }[];
      };
      const email = store.emails.find((e) => e.messageId === result.messageId);
      expect(email?.subject).toBe(
        'Sunt necesare informațiile de asigurare a accesului pentru comanda ORD-BUNDLE-1',
      );
      expect(email?.destination.to).toEqual(['ana.popescu@partner.example']);
    } finally {
      await new Promise<void>((resolve) => ses.close(() => resolve()));
      await s3.stop();
    }
  });

  it('a bundled pdfkit refuses, by name, the encryption and PNG images its bundle leaves out', async () => {
    // infra/bundle-stubs/no-pdf-encryption.ts and no-png-images.ts: the summary the tests above
    // render through the bundle uses neither; a document that did would fail, not misrender.
    const outdir = scratchDir('lambda-pdfkit-');
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        "import PDFDocument from 'pdfkit';",
        'const attempt = (f: () => unknown) => { try { f(); return "rendered"; } catch (e) { return (e as Error).message; } };',
        "const aes = attempt(() => new PDFDocument({ userPassword: 'secret', pdfVersion: '1.7ext3' }).end());",
        "const png = attempt(() => new PDFDocument().image(Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex')));",
        "const rc4 = attempt(() => new PDFDocument({ userPassword: 'secret' }).end());",
        'process.stdout.write(JSON.stringify([aes, png, rc4]));',
      ].join('\n'),
    );
    const result = await build({
      ...lambdaBuildOptions(),
      absWorkingDir: PROJECT_ROOT,
      nodePaths: [join(PROJECT_ROOT, 'node_modules')],
      entryPoints: [entry],
      outfile: join(outdir, 'task', 'index.mjs'),
      metafile: true,
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((path) => /@noble[\\/]ciphers|png-js/.test(path))).toEqual([]);
    // As the render step's bundle: pdfkit's standard fonts beside it (each document starts in Helvetica).
    copyFunctionBundle(
      { dirs: {}, files: {}, initFiles: {}, composition: {} },
      { id: 'none' },
      PROJECT_ROOT,
      join(outdir, 'task'),
      {
        files: PDF_BUNDLE_FILES,
        packageJson: PDF_PACKAGE_JSON,
      },
    );
    const output = execFileSync(process.execPath, [join(outdir, 'task', 'index.mjs')], {
      cwd: join(outdir, 'task'),
      env: configEnv,
      encoding: 'utf8',
    });
    expect(JSON.parse(output)).toEqual([
      'PDF encryption is not bundled in this function (infra/bundling.ts)',
      'PNG images are not bundled in this function (infra/bundling.ts)',
      // RC4 (PDF 1.3's encryption) is pdfkit's own code, left as it is.
      'rendered',
    ]);
  });

  it('a bundled zod parses and reads bounds as zod does, and refuses JSON Schema generation by name', async () => {
    // infra/bundling.ts, zodJsonSchemaPlugin: the JSON Schema half of zod is left out.
    const outdir = scratchDir('lambda-zod-');
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        `import { zodProbe } from '${join(PROJECT_ROOT, 'test/infra/zod-probe.fixture')}';`,
        'process.stdout.write(JSON.stringify(zodProbe()));',
      ].join('\n'),
    );
    await build({
      ...lambdaBuildOptions(),
      absWorkingDir: PROJECT_ROOT,
      entryPoints: [entry],
      outfile: join(outdir, 'task', 'index.mjs'),
    });
    const bundled = JSON.parse(
      execFileSync(process.execPath, [join(outdir, 'task', 'index.mjs')], {
        cwd: join(outdir, 'task'),
        encoding: 'utf8',
      }),
    ) as Record<string, unknown>;
    const source = JSON.parse(JSON.stringify(zodProbe())) as Record<string, unknown>;
    const notBundled = {
      error: 'JSON Schema generation (toJSONSchema) is not bundled in this function (infra/bundling.ts)',
    };
    expect(bundled).toEqual({
      ...source,
      toJSONSchema: notBundled,
      method: notBundled,
      standardJsonSchema: notBundled,
    });
    // From source, the same calls do generate JSON Schema, and the schema has its bounds.
    expect(source.toJSONSchema).toMatchObject({ value: { type: 'object' } });
    expect(source.bounds).toEqual([2, 5, 1, 9, 'email']);
    expect((source.issues as unknown[]).length).toBe(5);
  });

  it('a bundled S3 client, with the event streams stood in for, is created and presigns a request', async () => {
    // S3's client builds its event-stream marshaller when it is created (infra/bundle-stubs).
    const outdir = scratchDir('lambda-s3-');
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        "import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';",
        "import { getSignedUrl } from '@aws-sdk/s3-request-presigner';",
        "const client = new S3Client({ region: 'eu-west-1' });",
        "const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'bucket', Key: 'a/b.pdf' }), { expiresIn: 60 });",
        'process.stdout.write(url);',
      ].join('\n'),
    );
    await build({
      ...lambdaBuildOptions(),
      absWorkingDir: PROJECT_ROOT,
      nodePaths: [join(PROJECT_ROOT, 'node_modules')],
      entryPoints: [entry],
      outfile: join(outdir, 'task', 'index.mjs'),
      metafile: true,
    }).then((result) => {
      const inputs = Object.keys(result.metafile.inputs);
      expect(inputs.some((path) => path.includes('bundle-stubs/no-event-streams'))).toBe(true);
    });
    const output = execFileSync(process.execPath, [join(outdir, 'task', 'index.mjs')], {
      cwd: join(outdir, 'task'),
      env: { ...configEnv, AWS_ACCESS_KEY_ID: 'ASIAROLEKEY', AWS_SECRET_ACCESS_KEY: 'secret' },
      encoding: 'utf8',
    });
    expect(output).toMatch(
      /^https:\/\/bucket\.s3\.eu-west-1\.amazonaws\.com\/a\/b\.pdf\?.*X-Amz-Signature=[0-9a-f]{64}/,
    );
  });

  it('each AWS client’s schemas, with their trait keys written out, and its package.json, cut to what it reads, are the package’s own', async () => {
    // infra/bundling.ts's sdkSchemasPlugin: the same module, only tree-shakeable. Each client's
    // schemas file is built as it is and through the plugin, both are loaded, and every export
    // (the schemas, with the schemas they point to lazily) must be equal.
    const outdir = scratchDir('lambda-schemas-');
    const clients = Object.keys(
      (JSON.parse(readFileSync(join(PROJECT_ROOT, 'package.json'), 'utf8')) as { dependencies: object })
        .dependencies,
    ).filter((name) => name.startsWith('@aws-sdk/client-'));
    expect(clients.length).toBeGreaterThanOrEqual(6);
    const schemas = (client: string) =>
      join(PROJECT_ROOT, 'node_modules', client, 'dist-es/schemas/schemas_0.js');
    const bundle = (client: string, plugins: ReturnType<typeof sdkSchemasPlugin>[], name: string) =>
      build({
        ...lambdaBuildOptions(),
        plugins,
        absWorkingDir: PROJECT_ROOT,
        entryPoints: { [name]: schemas(client) },
        outdir,
        outExtension: { '.js': '.mjs' },
        minify: false,
        sourcemap: false,
      });
    // A schema points to others with `() => Other$`; error classes are kept as their names.
    const expand = (value: unknown, seen = new Map<unknown, string>(), path = '$'): unknown => {
      if (typeof value === 'function')
        return /^class\b/.test(Function.prototype.toString.call(value))
          ? `class ${(value as { name: string }).name}`
          : expand((value as () => unknown)(), seen, `${path}()`);
      if (value === null || typeof value !== 'object') return value;
      const first = seen.get(value);
      if (first) return `[see ${first}]`;
      seen.set(value, path);
      return Array.isArray(value)
        ? value.map((v, i) => expand(v, seen, `${path}[${i}]`))
        : Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expand(v, seen, `${path}.${k}`)]));
    };
    let transformedKeys = 0;
    for (const [i, client] of clients.entries()) {
      const source = readFileSync(schemas(client), 'utf8');
      transformedKeys += (source.match(/\[_\w+\]:/g) ?? []).length;
      await bundle(client, [], `own-${i}`);
      await bundle(client, [sdkSchemasPlugin()], `inlined-${i}`);
      const own = (await import(join(outdir, `own-${i}.mjs`))) as Record<string, unknown>;
      const inlined = (await import(join(outdir, `inlined-${i}.mjs`))) as Record<string, unknown>;
      expect(Object.keys(inlined).sort(), client).toEqual(Object.keys(own).sort());
      expect(Object.keys(own).length, client).toBeGreaterThan(10);
      const text = readFileSync(join(outdir, `inlined-${i}.mjs`), 'utf8');
      expect(text, client).not.toMatch(/\[_\w+\]:/);
      for (const name of Object.keys(own))
        expect(expand(inlined[name]), `${client} ${name}`).toEqual(expand(own[name]));
    }
    // The REST clients (S3, SES v2, Lambda) are the ones with computed keys to write out.
    expect(transformedKeys).toBeGreaterThan(1000);

    // Each client's package.json is bundled as its name and version: what its code reads of it.
    for (const client of clients) {
      const dist = join(PROJECT_ROOT, 'node_modules', client, 'dist-es');
      const readers = readdirSync(dist).filter(
        (f) => f.endsWith('.js') && /package\.json/.test(readFileSync(join(dist, f), 'utf8')),
      );
      expect(readers, client).toContain('runtimeConfig.js');
      for (const file of readers) {
        const text = readFileSync(join(dist, file), 'utf8');
        const binding = /^import (\w+) from "\.\.\/package\.json";$/m.exec(text)?.[1];
        expect(binding, `${client}/${file}`).toBeDefined();
        const uses = text.match(new RegExp(`\\b${binding}\\b[^\\s;,)]*`, 'g')) ?? [];
        expect(new Set(uses.slice(1)), `${client}/${file}`).toEqual(new Set([`${binding}.version`]));
      }
    }
  });

  it('a bundled AWS client takes its credentials from the environment, as Lambda gives them', async () => {
    const outdir = scratchDir('lambda-credentials-');
    const entry = join(outdir, 'entry.ts');
    writeFileSync(
      entry,
      [
        "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';",
        "const client = new DynamoDBClient({ region: 'eu-west-1' });",
        'const credentials = await client.config.credentials();',
        'process.stdout.write(`${credentials.accessKeyId} ${credentials.sessionToken}`);',
      ].join('\n'),
    );
    await build({
      ...lambdaBuildOptions(),
      absWorkingDir: PROJECT_ROOT,
      nodePaths: [join(PROJECT_ROOT, 'node_modules')],
      entryPoints: [entry],
      outfile: join(outdir, 'task', 'index.mjs'),
    });
    const output = execFileSync(process.execPath, [join(outdir, 'task', 'index.mjs')], {
      cwd: join(outdir, 'task'),
      env: {
        ...configEnv,
        AWS_ACCESS_KEY_ID: 'ASIAROLEKEY',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'session-token',
      },
      encoding: 'utf8',
    });
    expect(output).toBe('ASIAROLEKEY session-token');
  });
});
