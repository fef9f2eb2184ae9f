// `npm run orgs -- import <file.jsonl>`: loads organizations into the directory table, on AWS
// (TABLE_NAME and AWS credentials from the environment) or on the embedded runtime (when
// .local/runtime.json exists and TABLE_NAME is not set, its endpoints are used; see runtime-env.ts).
// The file is streamed twice: every line is checked first (a bad file writes nothing), then
// written in parallel batches. Memory stays flat whatever the file's size.
import '../infra/local/quiet-warnings';
import { existsSync, statSync } from 'node:fs';
import { SingleBar, Presets } from 'cli-progress';
import { validateOrgFile, writeOrgFile, type ImportProgress } from '../functions/shared/adapters/org-import';
import { useToolConfig } from '../functions/shared/config';
import { noRuntimeMessage, useEmbeddedRuntimeIfRunning } from '../infra/local/runtime-env';

const USAGE = `Usage:
  npm run orgs -- import <organizations.jsonl>   load organizations (with their domains and users) into
                                                 the directory, one JSON object a line, as in
                                                 examples/orgs.demo.jsonl; every line is checked
                                                 first, so a bad file writes nothing
  npm run orgs -- help                           this text

Where: the embedded runtime that runs (<DATA_DIR or .local>/runtime.json), or, with TABLE_NAME set,
that table on AWS (AWS_REGION and AWS credentials from the environment).`;

function progressBar(): { update: (p: ImportProgress) => void; stop: () => void } {
  // Drawn on a terminal only; in CI and pipes the final counts are what gets printed.
  if (!process.stderr.isTTY) return { update: () => undefined, stop: () => undefined };
  const bar = new SingleBar(
    { format: '{phase} |{bar}| {percentage}% · {orgs} orgs', stream: process.stderr, hideCursor: true },
    Presets.shades_classic,
  );
  let phase = '';
  return {
    update: (p) => {
      if (p.phase !== phase) {
        if (phase) bar.stop();
        phase = p.phase;
        bar.start(p.totalBytes, 0, { phase: p.phase === 'validate' ? 'Checking' : 'Writing ', orgs: 0 });
      }
      bar.update(p.bytes, { orgs: p.orgs });
    },
    stop: () => {
      if (phase) bar.stop();
    },
  };
}

async function main(argv: string[]): Promise<number> {
  const [command, file] = argv;
  if (command === undefined || ['help', '--help', '-h'].includes(command)) {
    console.log(USAGE);
    return 0;
  }
  if (command !== 'import' || !file || argv.length !== 2) {
    console.error(USAGE);
    return 2;
  }
  if (!existsSync(file)) {
    console.error(`Cannot read ${file}: no such file.`);
    return 1;
  }
  const totalBytes = statSync(file).size;
  const started = Date.now();
  const bar = progressBar();
  try {
    const checked = await validateOrgFile(file, totalBytes, bar.update);
    if (checked.errorCount > 0) {
      bar.stop();
      for (const e of checked.errors) console.error(`${file}:${e.line}: ${e.message}`);
      if (checked.errorCount > checked.errors.length) {
        console.error(`… and ${checked.errorCount - checked.errors.length} more.`);
      }
      console.error(`Nothing was imported: ${checked.errorCount} bad line(s).`);
      return 1;
    }
    useEmbeddedRuntimeIfRunning();
    if (!process.env.TABLE_NAME) {
      console.error(
        noRuntimeMessage(`npm run orgs -- import ${file}`, 'set TABLE_NAME, AWS_REGION and AWS credentials.'),
      );
      console.error('Nothing was imported.');
      return 1;
    }
    useToolConfig(['TABLE_NAME']);
    const written = await writeOrgFile(file, totalBytes, { onProgress: bar.update });
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    console.log(
      `Imported ${written.orgs} organization(s) (${written.items} items) in ${seconds.toFixed(1)} s ` +
        `(${Math.round(written.orgs / Math.max(seconds, 0.001))} orgs/s).`,
    );
    return 0;
  } finally {
    bar.stop();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
