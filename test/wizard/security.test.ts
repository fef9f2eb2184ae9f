import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { resetConfig } from '../../functions/shared/config';
import {
  csrfToken,
  foreignPost,
  parseCookieHeader,
  readSession,
  sessionCookie,
  signingKey,
  signSession,
  verifyCsrf,
} from '../../functions/resume/security';

const KEY = 'k'.repeat(40);
const OTHER_KEY = 'o'.repeat(40);
const LINK = 'a'.repeat(64);

describe('CSRF tokens', () => {
  it('accepts the token made for the same link and action', () => {
    expect(verifyCsrf(KEY, LINK, 'order-for', csrfToken(KEY, LINK, 'order-for'))).toBe(true);
  });

  it('refuses a token for another action, another link, another key, or none', () => {
    const token = csrfToken(KEY, LINK, 'order-for');
    expect(verifyCsrf(KEY, LINK, 'partner-org', token)).toBe(false);
    expect(verifyCsrf(KEY, 'b'.repeat(64), 'order-for', token)).toBe(false);
    expect(verifyCsrf(OTHER_KEY, LINK, 'order-for', token)).toBe(false);
    expect(verifyCsrf(KEY, LINK, 'order-for', undefined)).toBe(false);
    expect(verifyCsrf(KEY, LINK, 'order-for', '')).toBe(false);
    expect(verifyCsrf(KEY, LINK, 'order-for', `${token}x`)).toBe(false);
  });

  it('is stable (a page rendered twice carries the same token) and reveals neither key nor link', () => {
    const token = csrfToken(KEY, LINK, 'later:service-meetings');
    expect(csrfToken(KEY, LINK, 'later:service-meetings')).toBe(token);
    expect(token).not.toContain(LINK);
    expect(token).not.toContain(KEY);
  });
});

describe('form posts from another site', () => {
  const BASE = 'https://setup.example.com/prod';
  const check = (headers: Record<string, string>) => foreignPost(headers, BASE);

  it('accepts the public base URL’s origin (any path, any case), or same-origin fetch metadata alone', () => {
    expect(check({ origin: 'https://setup.example.com', 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(check({ origin: 'https://SETUP.example.com:443' })).toBeUndefined();
    expect(check({ 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(check({ origin: 'https://setup.example.com', 'sec-fetch-site': 'none' })).toBeUndefined();
  });

  it('refuses another origin, a null or malformed one, cross-site or same-site fetch metadata, or neither header', () => {
    expect(check({ origin: 'https://evil.example' })).toBe('foreign-origin');
    expect(check({ origin: 'http://setup.example.com' })).toBe('foreign-origin');
    expect(check({ origin: 'https://setup.example.com:8443' })).toBe('foreign-origin');
    expect(check({ origin: 'https://setup.example.com.evil.example' })).toBe('foreign-origin');
    expect(check({ origin: 'not a url' })).toBe('foreign-origin');
    expect(check({ origin: 'null', 'sec-fetch-site': 'same-origin' })).toBe('null-origin');
    expect(check({ origin: 'https://setup.example.com', 'sec-fetch-site': 'cross-site' })).toBe('cross-site');
    expect(check({ 'sec-fetch-site': 'same-site' })).toBe('cross-site');
    expect(check({})).toBe('no-origin');
  });
});

describe('session cookie', () => {
  it('round-trips the language', () => {
    const value = signSession(KEY, { lang: 'ro' });
    expect(readSession(KEY, value)).toEqual({ lang: 'ro' });
  });

  it('is empty when tampered with, signed with another key, malformed or missing', () => {
    const value = signSession(KEY, { lang: 'ro' });
    const [payload, signature] = value.split('.');
    const forged = `${Buffer.from(JSON.stringify({ lang: 'en' })).toString('base64url')}.${signature}`;
    expect(readSession(KEY, forged)).toEqual({});
    expect(readSession(OTHER_KEY, value)).toEqual({});
    expect(readSession(KEY, `${payload}`)).toEqual({});
    expect(readSession(KEY, 'garbage.garbage')).toEqual({});
    expect(readSession(KEY, undefined)).toEqual({});
  });

  it('drops values it does not know (a language we do not have)', () => {
    const value = signSession(KEY, { lang: 'de' as 'en' });
    expect(readSession(KEY, value)).toEqual({});
  });

  it('is HttpOnly and SameSite=Lax always, Secure on https', () => {
    expect(sessionCookie(KEY, { lang: 'en' }, false)).toMatch(/; HttpOnly; SameSite=Lax$/);
    expect(sessionCookie(KEY, { lang: 'en' }, true)).toMatch(/; HttpOnly; SameSite=Lax; Secure$/);
  });
});

describe('cookie header', () => {
  it('parses name=value pairs, first one wins', () => {
    expect(parseCookieHeader('a=1; b=2; a=3')).toEqual({ a: '1', b: '2' });
    expect(parseCookieHeader(undefined)).toEqual({});
  });
});

describe('signing key', () => {
  const saved = { key: process.env.SIGNING_KEY, arn: process.env.SIGNING_SECRET_ARN };
  afterEach(() => {
    process.env.SIGNING_KEY = saved.key;
    if (saved.arn === undefined) delete process.env.SIGNING_SECRET_ARN;
    else process.env.SIGNING_SECRET_ARN = saved.arn;
    resetConfig();
  });

  it('comes from the environment on the embedded runtime', async () => {
    expect(await signingKey()).toBe(process.env.SIGNING_KEY);
  });

  it('comes from Secrets Manager on AWS, read once and then cached', async () => {
    const secrets = mockClient(SecretsManagerClient);
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 's'.repeat(48) });
    delete process.env.SIGNING_KEY;
    process.env.SIGNING_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:signing-AbCdEf';
    resetConfig();
    try {
      expect(await signingKey()).toBe('s'.repeat(48));
      expect(await signingKey()).toBe('s'.repeat(48));
      expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    } finally {
      secrets.restore();
    }
  });
});
