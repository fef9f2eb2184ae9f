import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { tracingEnabled } from '../../../functions/shared/observability';
import { REPO_ROOT } from '../../../infra/local/runtime';

// X-Ray tracing on Lambda only. Loading the tracer loads the X-Ray SDK, whose cls-hooked turns on
// async_hooks for the whole process (a cost on every promise), so where tracing is off (the
// embedded runtime, the tests) the SDK must not even be loaded.

/** Loads a step handler in a fresh Node process with `env` and says what the process holds. */
function loadHandler(env: Record<string, string>): { handler: string; tracer: string; namespaces: string[] } {
  const script = [
    'const root = process.argv[1];',
    "const step = await import(root + '/functions/request-input/handler.ts');",
    "const o = await import(root + '/functions/shared/observability.ts');",
    "const { dynamodb } = await import(root + '/functions/shared/clients/index.ts');",
    'const steps = dynamodb().middlewareStack.identify().join(",");',
    'process.stdout.write(JSON.stringify({',
    '  handler: typeof step.handler,',
    "  tracer: o.tracer === undefined ? 'none' : String(o.tracer.isTracingEnabled()) + (steps.includes('XRay') ? ' traced' : ''),",
    '  namespaces: Object.keys(process.namespaces ?? {}),',
    '}));',
  ].join('\n');
  // The test process's configuration, without its own tracing settings.
  const base = { ...process.env };
  for (const key of ['POWERTOOLS_TRACE_ENABLED', 'AWS_EXECUTION_ENV', 'AWS_SAM_LOCAL']) delete base[key];
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', '--input-type=module', '-e', script, REPO_ROOT],
    { cwd: REPO_ROOT, env: { ...base, ...env }, encoding: 'utf8' },
  );
  return JSON.parse(output) as { handler: string; tracer: string; namespaces: string[] };
}

describe('tracing', () => {
  it('is on in a Lambda execution environment unless turned off, as Powertools decides', () => {
    const lambda = { AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' };
    expect(tracingEnabled(lambda)).toBe(true);
    expect(tracingEnabled({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'true' })).toBe(true);
    expect(tracingEnabled({ ...lambda, POWERTOOLS_TRACE_ENABLED: 'FALSE' })).toBe(false);
    expect(tracingEnabled({ ...lambda, AWS_SAM_LOCAL: 'true' })).toBe(false);
    expect(tracingEnabled({ AWS_EXECUTION_ENV: 'AWS_Lambda_amplify-mock' })).toBe(false);
    expect(tracingEnabled({})).toBe(false);
    expect(tracingEnabled({ POWERTOOLS_TRACE_ENABLED: 'true' })).toBe(false);
  });

  it('outside Lambda, a handler and its clients load without the X-Ray SDK and its async hooks', () => {
    expect(loadHandler({ POWERTOOLS_TRACE_ENABLED: 'true' })).toEqual({
      handler: 'function',
      tracer: 'none',
      namespaces: [],
    });
  });

  it('on Lambda, the handler and its AWS clients are traced', () => {
    expect(loadHandler({ AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x' })).toEqual({
      handler: 'function',
      tracer: 'true traced',
      namespaces: ['AWSXRay'],
    });
  });
});
