import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../infra/create-app';
import { readSettings } from '../../infra/settings';
import { runSettingsSchema } from '../../functions/shared/domain/order.schema';
import { testContext } from './synth-app.fixture';

// CDK context is checked at synth against what the intake accepts: a value every order would be
// refused for (the intake's runSettingsSchema) fails `cdk synth`, naming the key, before any deploy.

const YEAR = 31_536_000;

function settingsFor(context: Record<string, unknown>) {
  return readSettings(new App({ context }).node);
}

describe('CDK context', () => {
  it('accepts the intake’s limits: 10 reminders, a step timeout of one year (given as -c strings too)', () => {
    expect(settingsFor({ maxReminders: '10', stepTimeoutSeconds: String(YEAR) })).toMatchObject({
      maxReminders: 10,
      stepTimeoutSeconds: YEAR,
    });
    expect(settingsFor({})).toMatchObject({ maxReminders: 3, stepTimeoutSeconds: 3 * 24 * 3600 });
  });

  it.each([
    ['maxReminders', 11],
    ['maxReminders', -1],
    ['maxReminders', 2.5],
    ['stepTimeoutSeconds', YEAR + 1],
    ['stepTimeoutSeconds', 0],
    ['stepTimeoutSeconds', 'three days'],
  ])('refuses %s=%s at synth, naming the key', (key, value) => {
    expect(() => settingsFor({ [key]: value })).toThrow(new RegExp(`^Invalid CDK context: ${key}: `));
  });

  it('agrees with the intake on every boundary value', () => {
    const base = { stepTimeoutSeconds: 60, maxReminders: 1 };
    for (const [key, values] of [
      ['maxReminders', [-1, 0, 10, 11]],
      ['stepTimeoutSeconds', [0, 1, YEAR, YEAR + 1]],
    ] as const) {
      for (const value of values) {
        const intakeTakes = runSettingsSchema.safeParse({ ...base, [key]: value }).success;
        const synthTakes = (() => {
          try {
            settingsFor({ [key]: value });
            return true;
          } catch {
            return false;
          }
        })();
        expect(synthTakes, `${key}=${value}`).toBe(intakeTakes);
      }
    }
  });

  it('stops the app before it builds a stack', () => {
    expect(() => createApp({ context: testContext({ maxReminders: 50 }) })).toThrow(
      /Invalid CDK context: maxReminders: .*10/,
    );
  });
});
