import * as z from 'zod';
import { FaultSpecError, hasFaults, parseFaults, type FaultConfig } from '../infra/local/faults';

// `npm run bench -- [--orders N] [--concurrency C] [--attach] [--data-dir DIR] [--scenario NAME] [--faults SPEC] [--orgs N]`

export const SCENARIOS = ['mix', 'partner-new', 'my-company'] as const;
export type ScenarioChoice = (typeof SCENARIOS)[number];

export const benchArgsSchema = z.object({
  orders: z.number().int().min(1).max(100_000),
  concurrency: z.number().int().min(1).max(1_000),
  attach: z.boolean(),
  dataDir: z.string().min(1).optional(),
  scenario: z.enum(SCENARIOS),
  /** Measure the Lambda bundles and `cdk synth` instead of driving orders. */
  bundles: z.boolean(),
  /** Fault injection for the private runtime (`--faults dynamodb=0.1,...`, as `npm start` reads it). */
  faults: z.custom<FaultConfig>().optional(),
  /** Generated organizations imported into the private runtime's directory before the orders. */
  orgs: z.number().int().min(0).max(10_000_000),
  help: z.boolean(),
});
export type BenchArgs = z.infer<typeof benchArgsSchema>;

export const DEFAULT_ARGS: BenchArgs = {
  orders: 200,
  concurrency: 20,
  attach: false,
  scenario: 'mix',
  bundles: false,
  orgs: 0,
  help: false,
};

export const USAGE = `Usage: npm run bench -- [options]

  --orders N         orders to drive end to end (default ${DEFAULT_ARGS.orders})
  --concurrency C    contacts working at the same time (default ${DEFAULT_ARGS.concurrency})
  --scenario S       mix (default: alternate the two), partner-new, my-company
  --attach           drive the runtime \`npm start\` runs (its .local/runtime.json) instead of a private one
  --data-dir DIR     with --attach: the running runtime's data directory (default .local)
  --faults SPEC      answer a share of each service's requests with its retryable errors, as
                     npm start -- --faults does (e.g. dynamodb=0.1,ses=0.05,s3=0.05,webex=0.1);
                     prints the completion rate, the faults injected and the retries per order
  --orgs N           first import N generated organizations into the directory (streamed, as
                     npm run orgs -- import does); prints the import rate, its memory and the
                     lookup latency at that size
  --bundles          measure the Lambda bundles instead (size, cold module load, cdk synth time)
  -h, --help         this text

Without --attach the bench starts a private embedded runtime on free ports in a temporary
directory, and stops and deletes it at the end.`;

export class ArgsError extends Error {
  override name = 'ArgsError';
}

function intValue(flag: string, raw: string | undefined): number {
  if (raw === undefined || !/^\d+$/.test(raw))
    throw new ArgsError(`${flag} needs a whole number, got ${raw ?? 'nothing'}`);
  return Number(raw);
}

/** Parses the command line (`--flag value` or `--flag=value`); throws ArgsError with a readable message. */
export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const out: Record<string, unknown> = { ...DEFAULT_ARGS };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const flag = arg.startsWith('--') && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith('--') && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = () => {
      if (inline !== undefined) return inline;
      i += 1;
      return argv[i];
    };
    switch (flag) {
      case '--orders':
      case '-n':
        out.orders = intValue('--orders', value());
        break;
      case '--concurrency':
      case '-c':
        out.concurrency = intValue('--concurrency', value());
        break;
      case '--scenario': {
        const v = value();
        if (!SCENARIOS.includes(v as ScenarioChoice))
          throw new ArgsError(`--scenario must be one of ${SCENARIOS.join(', ')}, got ${v ?? 'nothing'}`);
        out.scenario = v;
        break;
      }
      case '--attach':
        out.attach = true;
        break;
      case '--data-dir': {
        const v = value();
        if (!v) throw new ArgsError('--data-dir needs a directory');
        out.dataDir = v;
        break;
      }
      case '--bundles':
        out.bundles = true;
        break;
      case '--orgs':
        out.orgs = intValue('--orgs', value());
        break;
      case '--faults': {
        const v = value();
        if (!v) throw new ArgsError('--faults needs a spec, e.g. dynamodb=0.1,ses=0.05,s3=0.05,webex=0.1');
        try {
          out.faults = parseFaults(v);
        } catch (error) {
          if (error instanceof FaultSpecError) throw new ArgsError(`--faults: ${error.message}`);
          throw error;
        }
        if (!hasFaults(out.faults as FaultConfig))
          throw new ArgsError(`--faults ${v} injects nothing: give a share above 0`);
        break;
      }
      case '-h':
      case '--help':
        out.help = true;
        break;
      default:
        throw new ArgsError(`Unknown argument: ${arg}`);
    }
  }
  const parsed = benchArgsSchema.safeParse(out);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ArgsError(`--${String(issue?.path[0] ?? '')}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.dataDir && !parsed.data.attach)
    throw new ArgsError('--data-dir is only used with --attach');
  if (parsed.data.orgs > 0 && parsed.data.attach)
    throw new ArgsError(
      '--orgs fills the private runtime; import into the running one with npm run orgs -- import',
    );
  if (parsed.data.faults && parsed.data.attach)
    throw new ArgsError(
      '--faults sets up the private runtime; for the running one, start it with npm start -- --faults',
    );
  return parsed.data;
}
