import { join } from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../functions/registry';
import { PROJECT_ROOT } from '../../infra/create-app';
import { lambdaBuildOptions } from '../../infra/bundling';
import { CAPABILITIES } from '../../infra/workflow.stack';

// The permissions table in infra/workflow.stack.ts, checked against the code: a function gets a
// capability exactly when its bundle contains the client that uses it. A new SES call in a
// function without `email`, or a grant nobody needs, fails here instead of in production.
const MARKERS = {
  bucket: 'functions/shared/clients/s3.ts',
  email: 'functions/shared/clients/ses.ts',
  signing: 'functions/resume/security.ts',
  webex: 'functions/shared/webex/webex-client.ts',
  stepFunctions: 'functions/shared/clients/sfn.ts',
  events: 'functions/shared/clients/eventbridge.ts',
} as const;

async function bundledInputs(entry: string): Promise<string[]> {
  const result = await build({
    ...lambdaBuildOptions(),
    entryPoints: [join(PROJECT_ROOT, entry)],
    absWorkingDir: PROJECT_ROOT,
    write: false,
    metafile: true,
    minify: false,
    sourcemap: false,
    logLevel: 'silent',
  });
  return Object.keys(result.metafile.inputs);
}

// Each bundle is its own esbuild build: they run side by side.
describe('function permissions match the code', { concurrent: true }, () => {
  it.each(ALL_FUNCTIONS.map((spec) => [spec.id, spec.entry]))('%s', async (id, entry) => {
    const inputs = await bundledInputs(entry);
    const uses = (marker: string) => inputs.some((input) => input.includes(marker));
    const caps = CAPABILITIES[id];
    expect(caps, `${id} is in CAPABILITIES`).toBeDefined();
    expect(caps?.bucket !== undefined, 'bucket').toBe(uses(MARKERS.bucket));
    expect(caps?.email === true, 'email').toBe(uses(MARKERS.email));
    expect(caps?.signing === true, 'signing key').toBe(uses(MARKERS.signing));
    expect(caps?.webex === true, 'Webex').toBe(uses(MARKERS.webex));
    // Step Functions: intake starts runs, cancel stops them, resume sends task results, the
    // failure recorder reads a run's history.
    expect(caps?.stateMachine !== undefined, 'Step Functions').toBe(uses(MARKERS.stepFunctions));
    // Domain events: the steps that record a fact publish it on the workflow bus.
    expect(caps?.events === true, 'EventBridge').toBe(uses(MARKERS.events));
    // The S3 users are bundled in a group of their own (infra/bundling.ts).
    const spec = ALL_FUNCTIONS.find((s) => s.id === id);
    expect(spec?.bundleGroup === 'documents', 'bundle group "documents"').toBe(uses(MARKERS.bucket));
  });

  it('covers every function of the registry and nothing else', () => {
    expect(Object.keys(CAPABILITIES).sort()).toEqual(ALL_FUNCTIONS.map((spec) => spec.id).sort());
  });
});
