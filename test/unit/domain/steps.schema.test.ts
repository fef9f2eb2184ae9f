import { describe, expect, it } from 'vitest';
import {
  STEP_IDS,
  isServiceStep,
  serviceOfStep,
  serviceStep,
  stepResultSchemas,
} from '../../../functions/shared/domain/steps.schema';

describe('waiting step results', () => {
  it('accepts the three "who is this order for" choices', () => {
    const schema = stepResultSchemas['order-for'];

    expect(schema.safeParse({ choice: 'customer' }).success).toBe(true);
    expect(schema.safeParse({ choice: 'my-company' }).success).toBe(true);
    expect(schema.parse({ choice: 'someone-else', email: ' Next@Example.COM', submissionId: 's-1' })).toEqual(
      { choice: 'someone-else', email: 'next@example.com', submissionId: 's-1' },
    );
  });

  it('needs an email to hand the order to someone else', () => {
    const result = stepResultSchemas['order-for'].safeParse({ choice: 'someone-else', submissionId: 's-1' });

    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['email']);
  });

  it('accepts mapping an existing partner org and creating a new one', () => {
    const schema = stepResultSchemas['partner-org'];

    expect(schema.safeParse({ action: 'map', orgId: 'p-1', outcome: 'associated' }).success).toBe(true);
    expect(
      schema.safeParse({
        action: 'create',
        organization: {
          name: 'Partner Co',
          businessVertical: 'technology',
          country: 'ro',
          address: {
            street: 'Strada Lipscani 1',
            city: 'București',
            state: 'București',
            postalCode: '030031',
          },
        },
      }).success,
    ).toBe(true);
  });

  it('rejects a new organization with an unknown vertical, naming the field', () => {
    const result = stepResultSchemas['partner-org'].safeParse({
      action: 'create',
      organization: {
        name: 'Partner Co',
        businessVertical: 'space',
        country: 'RO',
        address: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
      },
    });

    expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['organization.businessVertical']);
  });

  it('needs the admin email on the customer step', () => {
    const schema = stepResultSchemas['customer-org'];
    const choice = { action: 'map', orgId: 'c-1', outcome: 'matched' };

    expect(schema.safeParse({ ...choice, adminEmail: 'admin@customer.example' }).success).toBe(true);
    expect(schema.safeParse(choice).error?.issues.map((i) => i.path.join('.'))).toEqual(['adminEmail']);
  });

  it('accepts a service setup only with settings of its own type', () => {
    const schema = stepResultSchemas['service-calling'];
    const meetings = {
      type: 'meetings',
      settings: { sites: [{ siteName: 'acme', timeZone: 'UTC', earlyRelease: true, licenses: 5 }] },
    };

    expect(schema.safeParse(meetings).success).toBe(true);
    expect(schema.safeParse({ type: 'calling', settings: meetings.settings }).success).toBe(false);
  });

  it('has a result schema for every step', () => {
    expect(Object.keys(stepResultSchemas).sort()).toEqual([...STEP_IDS].sort());
  });
});

describe('service steps', () => {
  it('maps services to their steps and back', () => {
    expect(serviceStep('meetings')).toBe('service-meetings');
    expect(serviceOfStep('service-calling')).toBe('calling');
    expect(serviceOfStep('partner-org')).toBeUndefined();
  });

  it('lets the self-setup link reach only the service steps', () => {
    expect(STEP_IDS.filter(isServiceStep)).toEqual(['service-meetings', 'service-calling']);
  });
});
