import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { escapeHtml, flag, markup, raw } from '../../functions/resume/html';
import { renderPage } from '../../functions/resume/layout';
import { wizardTranslator } from '../../functions/shared/i18n/wizard.catalog';

describe('markup', () => {
  it('escapes every interpolated value', () => {
    const evil = `"><script>alert('x')</script>&\``;
    expect(markup`<p title="${evil}">${evil}</p>`.value).toBe(
      '<p title="&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;">&quot;&gt;&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&#96;</p>',
    );
  });

  it('keeps nested markup, joins arrays, and drops null, undefined and booleans', () => {
    const items = ['a<b', 'c'].map((x) => markup`<li>${x}</li>`);
    expect(markup`<ul>${items}</ul>${null}${undefined}${false}${raw('<hr>')}`.value).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul><hr>',
    );
  });

  it('writes boolean attributes only when on', () => {
    expect(markup`<input${flag('checked', true)}${flag('disabled', false)}>`.value).toBe('<input checked>');
    expect(escapeHtml('ăâîșț')).toBe('ăâîșț');
  });
});

describe('page frame', () => {
  const ctx = { lang: 'ro' as const, t: wizardTranslator('ro'), selfPath: '/setup/abc', orderId: 'ORD-1' };
  const page = renderPage(ctx, { title: 'Țară', body: markup`<h1>Șir</h1>` });
  const body = String(page.body);

  it('declares the language and UTF-8 in the header and the page, and renders diacritics as they are', () => {
    expect(body).toContain('<html lang="ro">');
    expect(body).toMatch(/<meta charset="utf-8"/);
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(body).toContain('<h1>Șir</h1>');
    expect(body).toContain('<title>Țară – Configurarea abonamentului Webex</title>');
  });

  it('allows exactly its own inline style and script through the Content-Security-Policy', () => {
    const csp = page.headers['content-security-policy'] ?? '';
    const style = /<style>([\s\S]*?)<\/style>/.exec(body)?.[1] ?? '';
    const script = /<script>([\s\S]*?)<\/script>/.exec(body)?.[1] ?? '';
    const hash = (s: string) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
    expect(csp).toContain(`style-src ${hash(style)}`);
    expect(csp).toContain(`script-src ${hash(script)}`);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("form-action 'self'");
  });

  it('never sends the link to another site as a referrer (but lets its own form posts carry their Origin) and is not cached', () => {
    expect(page.headers['referrer-policy']).toBe('same-origin');
    expect(body).toContain('<meta name="referrer" content="same-origin" />');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('has a language switch to every language on the page address', () => {
    expect(body).toContain('href="/setup/abc?lang=en"');
    expect(body).toMatch(/href="\/setup\/abc\?lang=ro"[^>]*aria-current="true"/);
  });
});
