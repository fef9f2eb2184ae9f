import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ALL_FUNCTIONS } from '../functions/registry';
import { buildLambdaBundles, builtFile } from '../infra/bundling';
import { ms, percentile } from './stats';

// `npm run bench -- --bundles`: the Lambda bundles as `cdk synth` builds them: size, the time a
// fresh Node process takes to load each (its cold module load on Lambda, give or take the CPU),
// as on AWS (X-Ray tracing on, --enable-source-maps) and without either, and how long `cdk synth`
// takes.

/** What a bundle's module scope needs to load (the functions read the rest when invoked). */
const BASE_ENV = { AWS_REGION: 'eu-west-1', POWERTOOLS_METRICS_DISABLED: 'true' };
/** Tracing off: the Powertools tracer and the X-Ray SDK (a chunk of their own) are not loaded. */
const NO_TRACING = { ...BASE_ENV, POWERTOOLS_TRACE_ENABLED: 'false' };
/** As in Lambda, where tracing is on: the module scope loads the tracer and the X-Ray SDK. */
const AS_ON_AWS = { ...BASE_ENV, AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };

/**
 * Time to import `file` in a new Node process, the median of `runs`: wall clock, and CPU (which
 * a busy machine inflates less).
 */
function coldLoad(
  file: string,
  runs: number,
  sourceMaps: boolean,
  env: Record<string, string>,
): { wall: number; cpu: number } {
  const script = [
    'const c = process.cpuUsage(); const t = performance.now();',
    'await import(process.argv[1]);',
    'const u = process.cpuUsage(c);',
    'process.stdout.write(JSON.stringify([performance.now() - t, (u.user + u.system) / 1000]));',
  ].join(' ');
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < runs; i++) {
    const out = execFileSync(
      process.execPath,
      [...(sourceMaps ? ['--enable-source-maps'] : []), '--input-type=module', '-e', script, file],
      { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' },
    );
    const [wall, cpu] = JSON.parse(out) as [number, number];
    walls.push(wall);
    cpus.push(cpu);
  }
  return { wall: percentile(walls, 50), cpu: percentile(cpus, 50) };
}

const kb = (bytes: number) => `${Math.round(bytes / 1024)} KB`;
const load = (l: { wall: number; cpu: number }) => `${ms(l.wall)} (${ms(l.cpu)})`;

export async function bundleReport(
  projectRoot = join(import.meta.dirname, '..'),
  runs = 10,
): Promise<number> {
  const loadAverage = () =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(', ');
  console.log(`Lambda bundles (load average ${loadAverage()}, ${cpus().length} cores)`);
  const outdir = mkdtempSync(join(tmpdir(), 'bench-bundles-'));
  try {
    const started = performance.now();
    const built = await buildLambdaBundles(ALL_FUNCTIONS, projectRoot, outdir);
    console.log(
      `  esbuild builds of all ${ALL_FUNCTIONS.length} bundles: ${ms(performance.now() - started)}`,
    );
    const rows = ALL_FUNCTIONS.map((spec) => {
      const file = builtFile(built, spec.id);
      // What the function loads: its entry and its chunks (the tracer's included), without maps.
      const code = (built.files[spec.id] ?? []).filter((f) => f.endsWith('.mjs'));
      const size = (files: string[]) =>
        files
          .filter((f) => f.endsWith('.mjs'))
          .reduce((sum, f) => sum + statSync(builtFile(built, spec.id, f)).size, 0);
      return {
        id: spec.id,
        bytes: size(code),
        initBytes: size(built.initFiles[spec.id] ?? []),
        largest: (built.composition[spec.id] ?? []).slice(0, 6),
        files: code.length,
        plain: coldLoad(file, runs, false, NO_TRACING),
        aws: coldLoad(file, runs, true, AS_ON_AWS),
        awsNoMaps: coldLoad(file, runs, false, AS_ON_AWS),
      };
    });
    console.log(
      `  ${'Function'.padEnd(20)} ${'Size'.padStart(8)} ${'Static'.padStart(8)} Files  Init (cold module load in a fresh Node process), wall (CPU), median of ${runs}: ` +
        'as on AWS (tracing, --enable-source-maps) | tracing without source maps | neither',
    );
    for (const r of rows)
      console.log(
        `  ${r.id.padEnd(20)} ${kb(r.bytes).padStart(8)} ${kb(r.initBytes).padStart(8)} ${String(r.files).padStart(5)}  ` +
          `${load(r.aws)} | ${load(r.awsNoMaps)} | ${load(r.plain)}`,
      );
    console.log(
      '  (Size: every file of the function; Static: its entry and the chunks it imports statically, ' +
        'without what it imports on first use or the tracer, which the module scope imports when tracing is on)',
    );
    console.log('  Largest parts of each bundle (KB, from esbuild’s metafile):');
    for (const r of rows)
      console.log(
        `  ${r.id.padEnd(20)} ${r.largest.map(([name, bytes]) => `${name} ${Math.round(bytes / 1024)}`).join(', ')}`,
      );
    const pdf = rows.filter((r) => r.id === 'RenderSummary');
    const others = rows.filter((r) => r.id !== 'RenderSummary');
    const max = (xs: number[]) => Math.max(...xs);
    console.log(
      `  Largest non-PDF bundle ${kb(max(others.map((r) => r.bytes)))}, PDF bundle ${kb(max(pdf.map((r) => r.bytes)))}; ` +
        `slowest cold load as on AWS: non-PDF ${ms(max(others.map((r) => r.aws.wall)))} (CPU ${ms(max(others.map((r) => r.aws.cpu)))}), ` +
        `PDF ${ms(max(pdf.map((r) => r.aws.wall)))} (CPU ${ms(max(pdf.map((r) => r.aws.cpu)))})`,
    );
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }

  // `cdk synth` as a person runs it (bundling included), into a scratch directory.
  const cdkOut = mkdtempSync(join(tmpdir(), 'bench-synth-'));
  try {
    const started = performance.now();
    const synth = spawnSync('npx', ['cdk', 'synth', '-q', '-o', cdkOut], {
      cwd: projectRoot,
      encoding: 'utf8',
    });
    const took = performance.now() - started;
    if (synth.status !== 0) {
      console.log(`  cdk synth failed (exit ${synth.status}):\n${synth.stderr}`);
      return 1;
    }
    console.log(`  cdk synth (bundling included) ${ms(took)} (load average now ${loadAverage()})`);
  } finally {
    rmSync(cdkOut, { recursive: true, force: true });
  }
  return 0;
}
