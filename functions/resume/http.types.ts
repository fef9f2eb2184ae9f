// The shapes the pages render into (WebResponse; web-app.ts turns it into a fetch Response for
// Hono) and the tests' browser speaks (handleWebRequest). The front doors are Hono's adapters.

export interface WebRequest {
  method: string;
  /** Path without the query string, e.g. /setup/abc */
  path: string;
  query: Record<string, string>;
  /** Lower-case header names. */
  headers: Record<string, string>;
  cookies: Record<string, string>;
  /** Raw body (application/x-www-form-urlencoded for forms). */
  body: string;
  /** Client address, for logs. */
  sourceIp?: string;
}

export interface WebResponse {
  status: number;
  headers: Record<string, string>;
  /** Set-Cookie values, one per cookie. */
  cookies?: string[];
  body: string | Buffer;
}

export type WebHandler = (request: WebRequest) => Promise<WebResponse>;
