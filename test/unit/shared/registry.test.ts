import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_FUNCTIONS } from '../../../functions/registry';

// Every function the CDK app deploys (and the embedded runtime runs) must export `handler`:
// the Lambda runtime calls exactly that name.

describe('function registry', () => {
  it.each(ALL_FUNCTIONS.map((f) => [f.id, f.entry] as const))(
    '%s (%s) exports a handler',
    async (_id, entry) => {
      expect(existsSync(entry)).toBe(true);

      const mod = (await import(`../../../${entry.replace(/\.ts$/, '')}`)) as { handler?: unknown };

      expect(typeof mod.handler).toBe('function');
    },
  );

  it('gives every function its own id and entry', () => {
    expect(new Set(ALL_FUNCTIONS.map((f) => f.id)).size).toBe(ALL_FUNCTIONS.length);
    expect(new Set(ALL_FUNCTIONS.map((f) => f.entry)).size).toBe(ALL_FUNCTIONS.length);
  });
});
