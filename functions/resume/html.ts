// A tiny HTML template: every interpolated value is escaped unless it is already SafeHtml.
// Pages are built only with `markup`, so nothing typed by a person (or read from the directory)
// reaches the page unescaped.

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (c) => ESCAPES[c] ?? c);
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map((v: HtmlValue) => render(v)).join('');
  return escapeHtml(String(value));
}

export function markup(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/** Trusted markup (our own constants only: CSS, script). */
export function raw(value: string): SafeHtml {
  return new SafeHtml(value);
}

/** `attr` returns an attribute only when the condition holds, e.g. checked, selected, disabled. */
export function flag(name: string, on: boolean | undefined): SafeHtml {
  return new SafeHtml(on ? ` ${name}` : '');
}

/** Lines of text (an address) joined by `<br />`, each line escaped. */
export function lineBreaks(lines: readonly string[]): SafeHtml {
  return markup`${lines.map((line, i) => markup`${i > 0 ? raw('<br />') : ''}${line}`)}`;
}
