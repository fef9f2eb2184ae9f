import { handleWebRequest } from '../../../functions/resume/web-app';
import type { WebResponse } from '../../../functions/resume/http.types';

// Drives handleWebRequest as a browser would: keeps cookies, reads forms' CSRF tokens from the
// page, posts url-encoded forms with the Origin and Sec-Fetch-Site a browser sends for a form on
// the setup pages themselves. No server in between: the same shapes the HTTP API delivers.

/** The headers a browser adds to a form post from a page of the setup pages. */
export function sameOriginHeaders(): Record<string, string> {
  return {
    origin: new URL(process.env.PUBLIC_BASE_URL ?? 'http://127.0.0.1').origin,
    'sec-fetch-site': 'same-origin',
  };
}

export interface Page {
  status: number;
  headers: Record<string, string>;
  body: string;
  cookies: string[];
}

export class WebClient {
  readonly jar = new Map<string, string>();
  constructor(private readonly headers: Record<string, string> = {}) {}

  private keep(response: WebResponse): Page {
    for (const cookie of response.cookies ?? []) {
      const [pair = ''] = cookie.split(';');
      const eq = pair.indexOf('=');
      this.jar.set(pair.slice(0, eq), pair.slice(eq + 1));
    }
    return {
      status: response.status,
      headers: response.headers,
      body: typeof response.body === 'string' ? response.body : response.body.toString('utf8'),
      cookies: response.cookies ?? [],
    };
  }

  async get(url: string): Promise<Page> {
    const parsed = new URL(url, 'http://127.0.0.1');
    return this.keep(
      await handleWebRequest({
        method: 'GET',
        path: parsed.pathname,
        query: Object.fromEntries(parsed.searchParams),
        headers: { ...this.headers },
        cookies: Object.fromEntries(this.jar),
        body: '',
      }),
    );
  }

  /** Posts a form; `headers` adds to or (with undefined) removes from what a browser sends. */
  async post(
    url: string,
    form: Record<string, string> | URLSearchParams,
    headers: Record<string, string | undefined> = {},
  ): Promise<Page> {
    const parsed = new URL(url, 'http://127.0.0.1');
    const body = (form instanceof URLSearchParams ? form : new URLSearchParams(form)).toString();
    const sent: Record<string, string | undefined> = {
      'content-type': 'application/x-www-form-urlencoded',
      ...sameOriginHeaders(),
      ...this.headers,
      ...headers,
    };
    return this.keep(
      await handleWebRequest({
        method: 'POST',
        path: parsed.pathname,
        query: Object.fromEntries(parsed.searchParams),
        headers: Object.fromEntries(
          Object.entries(sent).filter((e): e is [string, string] => e[1] !== undefined),
        ),
        cookies: Object.fromEntries(this.jar),
        body,
      }),
    );
  }
}

/** The forms of a page: action, and every hidden input (csrf and carried values). */
export function formsOf(body: string): { action: string; hidden: Record<string, string> }[] {
  const out: { action: string; hidden: Record<string, string> }[] = [];
  for (const match of body.matchAll(/<form\s+method="post"\s+action="([^"]+)"[^>]*>([\s\S]*?)<\/form>/g)) {
    const hidden: Record<string, string> = {};
    for (const input of (match[2] ?? '').matchAll(
      /<input type="hidden" name="([^"]+)" value="([^"]*)"\s*\/?>/g,
    )) {
      hidden[input[1] ?? ''] = decode(input[2] ?? '');
    }
    out.push({ action: decode(match[1] ?? ''), hidden });
  }
  return out;
}

export function decode(s: string): string {
  return s
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&#96;/g, '`')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** The first form posting to a path that ends with `suffix`. */
export function formTo(body: string, suffix: string) {
  const form = formsOf(body).find((f) => f.action.endsWith(suffix));
  if (!form) throw new Error(`No form posting to …${suffix} in the page`);
  return form;
}

/** The visible text of the page's h1. */
export function h1(body: string): string {
  return decode(
    /<h1[^>]*>([\s\S]*?)<\/h1>/
      .exec(body)?.[1]
      ?.replace(/<[^>]+>/g, '')
      .trim() ?? '',
  );
}
