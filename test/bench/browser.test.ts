import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Browser, findForm, formBody, h1Of, metaRefresh, parseForms } from '../../bench/browser';
import { setupLinkOf, type StoredEmail } from '../../bench/mailbox';

const page = `<h1>Map to a <em>partner</em> organization</h1>
<form method="post" action="/setup/abc/steps/partner-org" novalidate>
<input type="hidden" name="csrf" value="tok&amp;en">
<input type="hidden" name="adminEmail" value="a@b.example" />
<input type="text" id="f-name" name="name" value="" required />
<select id="f-country" name="country"><option value="">Choose</option><option value="US">United States</option><option value="RO" selected>Romania</option></select>
<input type="checkbox" name="early" value="yes" />
<input type="radio" name="choice" value="customer" />
<input type="radio" name="choice" value="my-company" checked />
<button class="btn" type="submit" name="intent" value="review">Next</button>
</form>
<form method="post" action="/setup/abc/steps/partner-org"><input type="hidden" name="csrf" value="t2">
<button class="btn" type="submit" name="intent" value="search">Search</button></form>`;

describe('the scripted browser', () => {
  it('reads the forms of a page with their controls', () => {
    const forms = parseForms(page);
    expect(forms).toHaveLength(2);
    const [first] = forms;
    expect(first?.action).toBe('/setup/abc/steps/partner-org');
    expect(first?.controls.map((c) => c.name)).toEqual([
      'csrf',
      'adminEmail',
      'name',
      'country',
      'early',
      'choice',
      'choice',
      'intent',
    ]);
    expect(first?.controls[0]?.value).toBe('tok&en');
  });

  it('posts what a browser posts for a click: hidden and typed values, chosen options, the button', () => {
    const click = { button: { name: 'intent', value: 'review' }, fill: { name: 'Acme', choice: 'customer' } };
    const body = formBody(findForm(parseForms(page), click), click);
    expect([...body]).toEqual([
      ['csrf', 'tok&en'],
      ['adminEmail', 'a@b.example'],
      ['name', 'Acme'],
      ['country', 'RO'],
      ['choice', 'customer'],
      ['intent', 'review'],
    ]);
  });

  it('finds the form by its button and refuses an option a select does not have', () => {
    const search = { button: { name: 'intent', value: 'search' } };
    expect(formBody(findForm(parseForms(page), search), search).get('csrf')).toBe('t2');
    expect(() => findForm(parseForms(page), { button: { name: 'intent', value: 'map' } })).toThrow(
      /No form with intent=map/,
    );
    const bad = { button: { name: 'intent', value: 'review' }, fill: { country: 'XX' } };
    expect(() => formBody(findForm(parseForms(page), bad), bad)).toThrow(/no option XX/);
  });

  it('reads the heading and a meta refresh', () => {
    expect(h1Of(page)).toBe('Map to a partner organization');
    expect(metaRefresh('<meta http-equiv="refresh" content="4;url=/setup/abc" />')).toEqual({
      seconds: 4,
      url: '/setup/abc',
    });
    expect(metaRefresh(page)).toBeUndefined();
  });

  it('tries a 503 page ("try again in a moment") again, a few times, and never a 500', async () => {
    const answers = [503, 503, 200, 503, 503, 503, 503, 500];
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.method ?? ''} ${req.url ?? ''}`);
      const status = answers.shift() ?? 200;
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end(`<h1>${status === 200 ? 'Fine' : 'Something went wrong'}</h1>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const browser = new Browser(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      expect(await browser.get('/a')).toMatchObject({ status: 200, body: '<h1>Fine</h1>' });
      expect(browser.tryAgains).toBe(2);
      // Three more tries at most, then the page stays.
      expect((await browser.get('/b')).status).toBe(503);
      expect(browser.tryAgains).toBe(5);
      expect((await browser.get('/c')).status).toBe(500);
      expect(browser.tryAgains).toBe(5);
      expect(seen).toEqual(['GET /a', 'GET /a', 'GET /a', 'GET /b', 'GET /b', 'GET /b', 'GET /b', 'GET /c']);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('takes the Set up service link from a welcome email', () => {
    const email: StoredEmail = {
      messageId: 'm1',
      destination: { to: ['x@y.example'] },
      subject: 'Provisioning information required for your order O-1',
      body: {
        html: '<a href="http://127.0.0.1:3000/setup/AbC_d-1" target="_blank">Set up service</a>',
        text: '',
      },
      at: 1,
    };
    expect(setupLinkOf(email)).toBe('http://127.0.0.1:3000/setup/AbC_d-1');
  });
});
