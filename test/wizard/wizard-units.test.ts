import { describe, expect, it } from 'vitest';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { collectErrors, errorSummary, issueMessage, textField } from '../../functions/resume/forms';
import { handler } from '../../functions/resume/handler';
import { lambdaContext } from '../unit/support/lambda-context';
import { chooseView } from '../../functions/resume/web-app';
import type { LinkRecord } from '../../functions/shared/adapters/link-store';
import type { WaitingStep } from '../../functions/shared/adapters/step-store';
import { meetingsSettingsFor } from '../../functions/shared/domain/meetings.schema';
import { emailSchema } from '../../functions/shared/domain/order.schema';
import { newOrganizationSchema } from '../../functions/shared/domain/org.schema';
import type { OrderRecord } from '../../functions/shared/domain/order-record.schema';
import type { StepId } from '../../functions/shared/domain/steps.schema';
import { wizardTranslator } from '../../functions/shared/i18n/wizard.catalog';

const en = wizardTranslator('en');
const ro = wizardTranslator('ro');

describe('form errors', () => {
  it('turns the shared schemas’ messages into the page’s language', () => {
    const email = emailSchema.safeParse('nope');
    expect(email.success).toBe(false);
    if (email.success) return;
    expect(issueMessage(en, email.error.issues[0]!)).toBe(
      'Enter a valid email address, such as name@example.com.',
    );
    expect(issueMessage(ro, email.error.issues[0]!)).toBe(
      'Introduceți o adresă de e-mail validă, de exemplu nume@exemplu.ro.',
    );
  });

  it('says a name with control characters must lose them, in both languages', () => {
    const name = newOrganizationSchema.safeParse({
      name: 'Acme\r\nBcc: x@evil.example',
      businessVertical: 'technology',
      country: 'RO',
    });
    expect(name.success).toBe(false);
    if (name.success) return;
    expect(issueMessage(en, name.error.issues[0]!)).toBe(
      'Remove the line breaks, tabs and other control characters.',
    );
    expect(issueMessage(ro, name.error.issues[0]!)).toBe(
      'Eliminați trecerile la rând nou, tabulatoarele și alte caractere de control.',
    );
  });

  it('maps each site’s issues to that site’s fields', () => {
    const parsed = meetingsSettingsFor(10).safeParse({
      sites: [
        { siteName: 'Bad Name', timeZone: 'Mars/Olympus', earlyRelease: false, licenses: 5 },
        { siteName: 'ok-site', timeZone: 'UTC', earlyRelease: false, licenses: 0 },
      ],
    });
    expect(parsed.success).toBe(false);
    if (parsed.success) return;
    const errors = collectErrors(en, parsed.error, (p) =>
      p[0] === 'sites' && typeof p[1] === 'number' ? `site-${p[1]}-${String(p[2])}` : undefined,
    );
    expect(errors.get('site-0-siteName')).toBe('Use only lowercase letters, digits and hyphens.');
    expect(errors.get('site-0-timeZone')).toBe('Choose a time zone from the list.');
    expect(errors.get('site-1-licenses')).toBe('Give each site at least one license.');
  });

  it('renders a field with its label, hint and error tied together, and the summary linking to it', () => {
    const errors = new Map([['city', en('error.required')]]);
    const field = textField({ name: 'city', label: 'City', hint: 'Where', value: '<b>', errors }).value;
    expect(field).toContain('<label class="lbl" for="f-city">City</label>');
    expect(field).toContain('aria-invalid="true"');
    expect(field).toContain('aria-describedby="f-city-hint f-city-error"');
    expect(field).toContain('value="&lt;b&gt;"');
    expect(errorSummary(en, errors).value).toContain('<a href="#f-city">');
  });
});

const link = (scope: 'all' | 'services' = 'all'): LinkRecord => ({
  linkHash: 'h'.repeat(64),
  orderId: 'O',
  recipient: 'a@x.example',
  role: scope === 'all' ? 'contact' : 'customer-admin',
  scope,
  createdAt: '2026-11-25T00:00:00Z',
  expiresAt: '2026-12-25T00:00:00Z',
  status: 'active',
});

const order = (patch: Partial<OrderRecord> = {}): OrderRecord => ({
  orderId: 'O',
  subscriptionId: 'S',
  placedAt: '2026-11-25T00:00:00Z',
  contact: { email: 'a@x.example', name: 'A', language: 'en' },
  services: [
    { type: 'meetings', quantity: 5 },
    { type: 'calling', quantity: 5 },
  ],
  status: 'in-progress',
  assignee: { email: 'a@x.example', role: 'contact' },
  provisioned: {},
  createdAt: '2026-11-25T00:00:00Z',
  updatedAt: '2026-11-25T00:00:00Z',
  ...patch,
});

const step = (stepId: StepId, patch: Partial<WaitingStep> = {}): WaitingStep => ({
  orderId: 'O',
  stepId,
  status: 'pending',
  tokenHash: 't',
  since: '2026-11-25T00:00:00Z',
  updatedAt: '2026-11-25T00:00:00Z',
  reminders: 0,
  deferred: false,
  ...patch,
});

describe('which step a link shows', () => {
  it('shows the step the run waits on', () => {
    expect(
      chooseView(link(), order(), [step('order-for', { status: 'submitted' }), step('partner-org')]),
    ).toEqual({ kind: 'step', step: step('partner-org') });
  });

  it('keeps a customer admin’s link to the services', () => {
    expect(chooseView(link('services'), order(), [step('customer-review')])).toEqual({ kind: 'processing' });
  });

  it('shows services in the order’s order, waiting for a service the run is still reaching', () => {
    expect(chooseView(link(), order(), [step('service-calling')]).kind).toBe('processing');
    expect(chooseView(link(), order(), [step('service-calling'), step('service-meetings')])).toMatchObject({
      kind: 'step',
      step: { stepId: 'service-meetings' },
    });
    expect(
      chooseView(link(), order(), [
        step('service-meetings', { status: 'submitted' }),
        step('service-calling'),
      ]),
    ).toMatchObject({ kind: 'step', step: { stepId: 'service-calling' } });
  });

  it('moves past "set up later" services and lists them when nothing else is left', () => {
    const steps = [step('service-meetings', { deferred: true }), step('service-calling')];
    expect(chooseView(link(), order(), steps)).toMatchObject({
      kind: 'step',
      step: { stepId: 'service-calling' },
    });
    const onlyDeferred = [
      step('service-meetings', { deferred: true }),
      step('service-calling', { status: 'submitted' }),
    ];
    expect(chooseView(link(), order(), onlyDeferred)).toMatchObject({
      kind: 'deferred',
      steps: [{ stepId: 'service-meetings' }],
    });
  });
});

describe('the Lambda front door', () => {
  it('answers through the middleware chain: a health check, and a calm 404 page for a malformed link', async () => {
    const event = (path: string) =>
      ({
        version: '2.0',
        routeKey: '$default',
        rawPath: path,
        rawQueryString: '',
        headers: {},
        requestContext: {
          http: { method: 'GET', path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.9', userAgent: 'x' },
        },
        isBase64Encoded: false,
      }) as unknown as APIGatewayProxyEventV2;
    const health = await handler(event('/health'), lambdaContext('Resume'));
    const invalid = await handler(event('/setup/bad'), lambdaContext('Resume'));
    expect(health.statusCode).toBe(200);
    expect(invalid.statusCode).toBe(404);
    expect(invalid.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(String(invalid.body)).toContain('This link is not valid');
  });
});
