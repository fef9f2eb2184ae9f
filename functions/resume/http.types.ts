// The setup pages are one web app with two front doors: the HTTP API (API Gateway payload v2)
// on AWS, and the embedded runtime's local server. Both translate to and from these shapes.

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
