import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { callingSettingsSchema } from '../../../functions/shared/domain/calling.schema';
import { meetingsSiteSchema } from '../../../functions/shared/domain/meetings.schema';
import {
  orderCancelledEventSchema,
  orderPlacedEventSchema,
} from '../../../functions/shared/domain/order.schema';
import { orderRecordSchema } from '../../../functions/shared/domain/order-record.schema';
import { newOrganizationSchema, orgImportLineSchema } from '../../../functions/shared/domain/org.schema';
import {
  CONTROL_CHARACTERS_MESSAGE,
  CONTROL_CHARACTERS_MULTILINE_MESSAGE,
  hasControlCharacters,
  singleLineText,
} from '../../../functions/shared/domain/text.schema';
import { cancelledEvent, placedEvent } from '../../fixtures/orders';
import { importLine } from '../../fixtures/organizations';

// Issue 13: names and free text with CR, LF, NUL (any control character) are refused, with a
// message that says why, in events, forms and org imports alike.

const CONTROLS: [string, string][] = [
  ['CR', 'Acme\rBcc: x@evil.example'],
  ['LF', 'Acme\nBcc: x@evil.example'],
  ['CRLF', 'Acme\r\nBcc: x@evil.example'],
  ['NUL', 'Acme\u0000Corp'],
  ['TAB', 'Acme\tCorp'],
  ['DEL', 'Acme\u007fCorp'],
  ['C1 (NEL)', 'Acme\u0085Corp'],
  ['line separator', 'Acme\u2028Corp'],
  ['paragraph separator', 'Acme\u2029Corp'],
];

function issues(result: z.ZodSafeParseResult<unknown>): { path: string; message: string }[] {
  return result.success
    ? []
    : result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('the shared check', () => {
  it.each(CONTROLS)('refuses %s', (_, value) => {
    expect(hasControlCharacters(value)).toBe(true);
    expect(issues(singleLineText().safeParse(value))).toEqual([
      { path: '', message: CONTROL_CHARACTERS_MESSAGE },
    ]);
  });

  it('accepts letters of any script, punctuation and spaces, and trims surrounding whitespace as before', () => {
    for (const ok of ['Ștefan & Fiii S.R.L.', 'Zoë O’Brien-Łukasz', '東京 株式会社', 'A\u00a0B']) {
      expect(singleLineText().parse(ok)).toBe(ok);
    }
    // Only what is kept is checked: a trailing newline or tab is trimmed off, not refused.
    expect(singleLineText().parse('  Acme\r\n')).toBe('Acme');
    expect(singleLineText().parse('\tAcme')).toBe('Acme');
  });
});

describe('order events', () => {
  it.each(CONTROLS)('refuses a contact name with %s, saying why', (_, name) => {
    const result = orderPlacedEventSchema.safeParse(
      placedEvent({ contact: { email: 'ana@partner.example', name, language: 'en' } }),
    );
    expect(issues(result)).toEqual([{ path: 'detail.contact.name', message: CONTROL_CHARACTERS_MESSAGE }]);
  });

  it.each(CONTROLS)('refuses a partner name with %s', (_, partnerName) => {
    expect(issues(orderPlacedEventSchema.safeParse(placedEvent({ partnerName })))).toEqual([
      { path: 'detail.partnerName', message: CONTROL_CHARACTERS_MESSAGE },
    ]);
  });

  it('refuses a subscription id with a control character', () => {
    expect(issues(orderPlacedEventSchema.safeParse(placedEvent({ subscriptionId: 'Sub-1\u0000' })))).toEqual([
      { path: 'detail.subscriptionId', message: CONTROL_CHARACTERS_MESSAGE },
    ]);
  });

  it('lets a cancellation reason span lines, but refuses NUL, TAB and the other control characters in it', () => {
    const multiLine = orderCancelledEventSchema.safeParse(
      cancelledEvent('ORD-1', 'Customer withdrew.\r\nSee ticket 42.'),
    );
    expect(multiLine.success).toBe(true);
    for (const reason of ['Customer\u0000withdrew', 'Customer\twithdrew', 'Customer\u2028withdrew']) {
      expect(issues(orderCancelledEventSchema.safeParse(cancelledEvent('ORD-1', reason)))).toEqual([
        { path: 'detail.reason', message: CONTROL_CHARACTERS_MULTILINE_MESSAGE },
      ]);
    }
  });

  it('still reads an order stored before the check, with a control character in the contact name', () => {
    const stored = {
      orderId: 'ORD-1',
      subscriptionId: 'Sub-1',
      placedAt: '2026-11-25T10:00:00Z',
      contact: { email: 'ana@partner.example', name: 'Ana\r\nPopescu', language: 'en' },
      services: [{ type: 'meetings', quantity: 1 }],
      status: 'in-progress',
      assignee: { email: 'ana@partner.example', role: 'contact' },
      createdAt: '2026-11-25T10:00:00Z',
      updatedAt: '2026-11-25T10:00:00Z',
    };
    expect(orderRecordSchema.parse(stored).contact.name).toBe('Ana\r\nPopescu');
  });
});

describe('organizations', () => {
  it.each(CONTROLS)('refuses a new organization name with %s', (_, name) => {
    const result = newOrganizationSchema.safeParse({
      name,
      businessVertical: 'technology',
      country: 'RO',
      address: { street: 'Strada Lipscani 1', city: 'București', state: 'București', postalCode: '030031' },
    });
    expect(issues(result)).toEqual([{ path: 'name', message: CONTROL_CHARACTERS_MESSAGE }]);
  });

  it('refuses an imported organization name with a control character', () => {
    const result = orgImportLineSchema.safeParse(importLine({ name: 'Acme\nCorp' }));
    expect(issues(result)).toEqual([{ path: 'name', message: CONTROL_CHARACTERS_MESSAGE }]);
  });
});

describe('services', () => {
  it.each(CONTROLS)('refuses a Meetings site name with %s, the control characters named first', (_, v) => {
    const result = meetingsSiteSchema.safeParse({
      siteName: v.toLowerCase().replace(/[ :@.]/g, ''),
      timeZone: 'UTC',
      earlyRelease: false,
      licenses: 1,
    });
    expect(issues(result)[0]).toEqual({ path: 'siteName', message: CONTROL_CHARACTERS_MESSAGE });
  });

  it.each(['locationName', 'street', 'city', 'postalCode', 'state'])(
    'refuses a Calling location whose %s holds a control character',
    (field) => {
      const location = {
        locationName: 'HQ',
        country: 'IE',
        street: '1 Main Street',
        city: 'Dublin',
        postalCode: 'D02 X285',
        state: 'Dublin',
        timeZone: 'Europe/Dublin',
        announcementLanguage: 'en_gb',
      };
      const result = callingSettingsSchema.safeParse({
        location: { ...location, [field]: `${location[field as keyof typeof location]}\r\nX` },
      });
      expect(issues(result)).toEqual([{ path: `location.${field}`, message: CONTROL_CHARACTERS_MESSAGE }]);
    },
  );
});
