import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runSettings } from '../../../functions/intake/handler';
import { ConfigurationError } from '../../../functions/shared/errors';
import { getConfig, required, resetConfig } from '../../../functions/shared/config';
import { saveEnvironment } from '../support/environment';

let restore: () => void;
beforeEach(() => {
  restore = saveEnvironment();
  resetConfig();
});
afterEach(() => {
  restore();
  resetConfig();
});

describe('configuration', () => {
  it('reads and coerces the environment once', () => {
    process.env.LINK_TTL_SECONDS = '3600';

    const config = getConfig();
    process.env.LINK_TTL_SECONDS = '60';

    expect(config.LINK_TTL_SECONDS).toBe(3600);
    expect(getConfig().LINK_TTL_SECONDS).toBe(3600);
  });

  it('throws a ConfigurationError naming every bad variable, with no silent default', () => {
    delete process.env.TABLE_NAME;
    process.env.SENDER_EMAIL = 'not-an-address';

    expect(() => getConfig()).toThrow(ConfigurationError);
    expect(() => getConfig()).toThrow(/TABLE_NAME.*SENDER_EMAIL|SENDER_EMAIL.*TABLE_NAME/);
  });

  it('names a value only some functions need when it is missing', () => {
    delete process.env.STATE_MACHINE_ARN;

    expect(() => required('STATE_MACHINE_ARN')).toThrow('STATE_MACHINE_ARN is required');
  });

  it('gives the intake its run settings from the environment', () => {
    process.env.STEP_TIMEOUT_SECONDS = '30';
    process.env.MAX_REMINDERS = '0';

    expect(runSettings()).toEqual({
      stepTimeoutSeconds: 30,
      maxReminders: 0,
      webexPoll: { firstWaitSeconds: 10, maxWaitSeconds: 300, maxPolls: 12 },
    });
    process.env.WEBEX_POLL_FIRST_WAIT_SECONDS = '1';
    process.env.WEBEX_POLL_MAX_POLLS = '3';
    resetConfig();
    expect(runSettings().webexPoll).toEqual({ firstWaitSeconds: 1, maxWaitSeconds: 300, maxPolls: 3 });
    delete process.env.WEBEX_POLL_FIRST_WAIT_SECONDS;
    delete process.env.WEBEX_POLL_MAX_POLLS;
  });

  it('refuses to start runs without the reminder settings', () => {
    delete process.env.MAX_REMINDERS;

    expect(() => runSettings()).toThrow('MAX_REMINDERS is required');
  });
});
