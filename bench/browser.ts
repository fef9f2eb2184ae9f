// A scripted browser for the setup pages, over real HTTP: keeps cookies, follows redirects and
// `<meta http-equiv="refresh">` the way a browser does (after the delay it names), reads forms
// (action, hidden inputs, text inputs, selects, checkboxes, radios, submit buttons) and posts
// them url-encoded with the button that was clicked.

export interface Page {
  url: string;
  status: number;
  body: string;
}

export interface FormControl {
  tag: 'input' | 'select' | 'button';
  type: string;
  name: string;
  value: string;
  checked: boolean;
  /** Select options (value, selected). */
  options?: { value: string; selected: boolean }[];
}

export interface Form {
  action: string;
  controls: FormControl[];
}

export function decodeEntities(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&#x([0-9a-f]+);/gi, (_, h: string) => String.fromCodePoint(Number.parseInt(h, 16)))
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}

function attributes(tag: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const m of tag.matchAll(
    /([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?/g,
  )) {
    const name = (m[1] ?? '').toLowerCase();
    if (!out.has(name)) out.set(name, decodeEntities(m[2] ?? m[3] ?? m[4] ?? ''));
  }
  return out;
}

/** Every `<form method="post">` of a page with its controls, in document order. */
export function parseForms(html: string): Form[] {
  const forms: Form[] = [];
  for (const fm of html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/gi)) {
    const attrs = attributes(fm[1] ?? '');
    if ((attrs.get('method') ?? 'get').toLowerCase() !== 'post') continue;
    const inner = fm[2] ?? '';
    const controls: FormControl[] = [];
    for (const cm of inner.matchAll(
      /<(input)\b([^>]*?)\/?>|<(button)\b([^>]*)>[\s\S]*?<\/button>|<(select)\b([^>]*)>([\s\S]*?)<\/select>/gi,
    )) {
      if (cm[1]) {
        const a = attributes(cm[2] ?? '');
        const name = a.get('name');
        if (!name) continue;
        const type = (a.get('type') ?? 'text').toLowerCase();
        controls.push({
          tag: 'input',
          type,
          name,
          value: a.get('value') ?? (type === 'checkbox' || type === 'radio' ? 'on' : ''),
          checked: a.has('checked'),
        });
      } else if (cm[3]) {
        const a = attributes(cm[4] ?? '');
        const name = a.get('name');
        if (!name) continue;
        controls.push({
          tag: 'button',
          type: (a.get('type') ?? 'submit').toLowerCase(),
          name,
          value: a.get('value') ?? '',
          checked: false,
        });
      } else if (cm[5]) {
        const a = attributes(cm[6] ?? '');
        const name = a.get('name');
        if (!name) continue;
        const options = [...(cm[7] ?? '').matchAll(/<option\b([^>]*)>/gi)].map((o) => {
          const oa = attributes(o[1] ?? '');
          return { value: oa.get('value') ?? '', selected: oa.has('selected') };
        });
        const selected = options.find((o) => o.selected) ?? options[0];
        controls.push({
          tag: 'select',
          type: 'select',
          name,
          value: selected?.value ?? '',
          checked: false,
          options,
        });
      }
    }
    forms.push({ action: decodeEntities(attrs.get('action') ?? ''), controls });
  }
  return forms;
}

export interface Click {
  /** The submit button clicked: by name and value (e.g. intent=review); or the form's only submit button. */
  button?: { name: string; value: string };
  /** Or the form whose action ends with this. */
  actionEndsWith?: string;
  /** Values typed or chosen: text inputs and selects by name; checkbox/radio: the value to check. */
  fill?: Record<string, string>;
}

/** The body a browser posts for `click` on `form` (successful controls in order, then the button). */
export function formBody(form: Form, click: Click): URLSearchParams {
  const body = new URLSearchParams();
  const fill = click.fill ?? {};
  for (const c of form.controls) {
    if (c.tag === 'button') continue;
    const wanted = fill[c.name];
    if (c.type === 'checkbox' || c.type === 'radio') {
      const on = wanted !== undefined ? wanted === c.value : c.checked;
      if (on) body.append(c.name, c.value);
      continue;
    }
    if (c.type === 'submit' || c.type === 'image' || c.type === 'reset') continue;
    if (c.tag === 'select' && wanted !== undefined && !c.options?.some((o) => o.value === wanted)) {
      throw new Error(`The select ${c.name} has no option ${wanted}`);
    }
    body.append(c.name, wanted ?? c.value);
  }
  if (click.button) body.append(click.button.name, click.button.value);
  return body;
}

/** The form holding the clicked button (or posting to `actionEndsWith`); throws naming what was looked for. */
export function findForm(forms: Form[], click: Click): Form {
  const form = forms.find(
    (f) =>
      (!click.button ||
        f.controls.some(
          (c) => c.tag === 'button' && c.name === click.button?.name && c.value === click.button.value,
        )) &&
      (!click.actionEndsWith || f.action.endsWith(click.actionEndsWith)),
  );
  if (!form) {
    const wanted = click.button
      ? `${click.button.name}=${click.button.value}`
      : `…${click.actionEndsWith ?? ''}`;
    throw new Error(`No form with ${wanted} on the page`);
  }
  return form;
}

export function h1Of(html: string): string {
  return decodeEntities(
    /<h1[^>]*>([\s\S]*?)<\/h1>/i
      .exec(html)?.[1]
      ?.replace(/<[^>]+>/g, '')
      .replace(/\s+/g, ' ')
      .trim() ?? '',
  );
}

export function metaRefresh(html: string): { seconds: number; url: string } | undefined {
  const m = /<meta\s+http-equiv="refresh"\s+content="(\d+);url=([^"]+)"/i.exec(html);
  return m ? { seconds: Number(m[1]), url: decodeEntities(m[2] ?? '') } : undefined;
}

export interface RequestLog {
  method: string;
  path: string;
  ms: number;
  status: number;
}

export class Browser {
  private readonly jar = new Map<string, string>();
  readonly requests: RequestLog[] = [];
  /** Requests sent again after a 503 page ("Try again in a moment"), as a person would. */
  tryAgains = 0;

  constructor(
    private readonly origin: string,
    /** Longest meta refresh delay honoured (a browser waits the whole delay). */
    private readonly maxRefreshes = 30,
    /** How often a 503 page is tried again before the contact gives up (0: never). */
    private readonly maxTryAgains = 3,
  ) {}

  private cookieHeader(): string {
    return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private keepCookies(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq > 0) this.jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }

  private async request(
    method: 'GET' | 'POST',
    url: string,
    body?: URLSearchParams,
    attempt = 0,
  ): Promise<Page> {
    const target = new URL(url, this.origin);
    const started = performance.now();
    const res = await fetch(target, {
      method,
      redirect: 'manual',
      headers: {
        accept: 'text/html',
        'accept-language': 'en',
        'sec-fetch-site': 'same-origin',
        ...(this.jar.size ? { cookie: this.cookieHeader() } : {}),
        ...(body ? { 'content-type': 'application/x-www-form-urlencoded', origin: this.origin } : {}),
      },
      body: body?.toString(),
    });
    const text = await res.text();
    this.requests.push({
      method,
      path: target.pathname,
      ms: performance.now() - started,
      status: res.status,
    });
    this.keepCookies(res);
    // A passing failure (the setup pages answer 503 "nothing was changed, try again in a moment"):
    // the same request again after a moment, as the person would. A 500 is not tried again.
    if (res.status === 503 && attempt < this.maxTryAgains) {
      this.tryAgains += 1;
      await new Promise((resolve) => setTimeout(resolve, 250 * (attempt + 1)));
      return this.request(method, url, body, attempt + 1);
    }
    if (res.status >= 300 && res.status < 400) {
      const location = res.headers.get('location');
      if (!location) throw new Error(`${method} ${target.pathname}: ${res.status} without a location`);
      return this.request('GET', new URL(location, target).href);
    }
    return { url: target.href, status: res.status, body: text };
  }

  /** GET, then follow redirects and meta refreshes (waiting their delay) until a page stays. */
  async get(url: string): Promise<Page> {
    return this.settle(await this.request('GET', url));
  }

  async post(form: Form, click: Click): Promise<Page> {
    return this.settle(
      await this.request('POST', new URL(form.action, this.origin).href, formBody(form, click)),
    );
  }

  /** Clicks a button on `page`: finds its form, fills it, posts it. */
  async click(page: Page, click: Click): Promise<Page> {
    return this.post(findForm(parseForms(page.body), click), click);
  }

  private async settle(page: Page): Promise<Page> {
    let current = page;
    for (let i = 0; i < this.maxRefreshes; i++) {
      const refresh = metaRefresh(current.body);
      if (!refresh) return current;
      await new Promise((resolve) => setTimeout(resolve, refresh.seconds * 1000));
      current = await this.request('GET', new URL(refresh.url, current.url).href);
    }
    throw new Error(`Still refreshing after ${this.maxRefreshes} refreshes: ${h1Of(current.body)}`);
  }
}
