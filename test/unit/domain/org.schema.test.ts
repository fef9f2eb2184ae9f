import { describe, expect, it } from 'vitest';
import {
  countryCodeSchema,
  domainNameSchema,
  newOrganizationSchema,
  orgImportLineSchema,
  organizationSchema,
} from '../../../functions/shared/domain/org.schema';
import { importLine, organization } from '../../fixtures/organizations';

describe('organization schemas', () => {
  it('accepts the fixture organization', () => {
    expect(organizationSchema.safeParse(organization()).success).toBe(true);
  });

  it.each(['example.com', 'sub.example.co.uk', 'xn--brao-4ra.ro', 'ACME.Example'])(
    'accepts domain %s',
    (d) => {
      expect(domainNameSchema.parse(d)).toBe(d.toLowerCase());
    },
  );

  it.each(['localhost', 'example', '-bad.com', 'a..b.com', 'http://example.com', 'ex ample.com'])(
    'rejects domain %s',
    (d) => {
      expect(domainNameSchema.safeParse(d).success).toBe(false);
    },
  );

  it('normalises a country code and rejects a three-letter one', () => {
    expect(countryCodeSchema.parse(' ro ')).toBe('RO');
    expect(countryCodeSchema.safeParse('ROU').success).toBe(false);
  });

  it('rejects an unknown kind and business vertical, naming them', () => {
    const result = organizationSchema.safeParse({
      ...organization(),
      kind: 'reseller',
      businessVertical: 'space',
    });

    expect(result.error?.issues.map((i) => i.path.join('.')).sort()).toEqual(['businessVertical', 'kind']);
  });

  it('defaults an import line without users to none', () => {
    // eslint-disable-next-line @typescript-eslint/no-unused-vars
    const { users, ...withoutUsers } = importLine();

    expect(orgImportLineSchema.parse(withoutUsers).users).toEqual([]);
  });

  it('asks a new organization for a name of at least 2 characters', () => {
    const result = newOrganizationSchema.safeParse({ name: 'A', businessVertical: 'retail', country: 'RO' });

    expect(result.error?.issues[0]).toMatchObject({
      path: ['name'],
      message: 'must be at least 2 characters',
    });
  });
});
