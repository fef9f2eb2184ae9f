import { describe, expect, it } from 'vitest';
import {
  hashLinkId,
  hashToken,
  hmac,
  isWellFormedLinkId,
  newLinkId,
  newLinkSecret,
  parseLinkId,
  safeEqual,
  setupUrl,
} from '../../../functions/shared/domain/links';

describe('setup links', () => {
  it('makes ids of the order id and 192 random bits that are URL-safe and well-formed', () => {
    const ids = Array.from({ length: 50 }, () => newLinkId('ORD-2026_1'));

    expect(new Set(ids).size).toBe(50);
    for (const id of ids) {
      const orderId = id.slice(0, -33);
      const secret = id.slice(-32);
      expect(id.at(-33)).toBe('_');
      expect(orderId).toBe('ORD-2026_1');
      expect(Buffer.from(secret, 'base64url')).toHaveLength(24);
      expect(isWellFormedLinkId(id)).toBe(true);
      expect(parseLinkId(id)).toEqual({ format: 'order', orderId: 'ORD-2026_1' });
    }
  });

  it('still reads an id in the old format (a bare secret), as such', () => {
    expect(parseLinkId(newLinkSecret())).toEqual({ format: 'legacy' });
  });

  it.each([
    '',
    'short',
    'a'.repeat(33),
    `${'a'.repeat(31)}/`,
    `${'a'.repeat(31)}=`,
    `ORD-1_${'a'.repeat(31)}`,
    `_${'a'.repeat(32)}`,
    `-ORD_${'a'.repeat(32)}`,
    `ORD.1_${'a'.repeat(32)}`,
    `ORD%2F1_${'a'.repeat(32)}`,
    `${'O'.repeat(81)}_${'a'.repeat(32)}`,
  ])('rejects a malformed id %j', (id) => {
    expect(isWellFormedLinkId(id)).toBe(false);
  });

  it('stores a SHA-256 hex that does not contain the id', () => {
    const id = newLinkId('ORD-1');

    const hash = hashLinkId(id);

    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).not.toContain(id);
    expect(hashLinkId(id)).toBe(hash);
  });

  it('builds the setup URL under /setup/ whatever the trailing slashes of the base', () => {
    expect(setupUrl('https://setup.example.com/', 'abc')).toBe('https://setup.example.com/setup/abc');
    expect(setupUrl('http://127.0.0.1:3000', 'abc')).toBe('http://127.0.0.1:3000/setup/abc');
  });
});

describe('token hashes and signatures', () => {
  it('hashes a task token to 32 hex characters without its + / = characters', () => {
    const token = 'AAAA+bbbb/cccc==' + 'x'.repeat(1000);

    expect(hashToken(token)).toMatch(/^[0-9a-f]{32}$/);
    expect(hashToken(token)).not.toBe(hashToken(`${token}y`));
  });

  it('signs with the key: another key gives another signature', () => {
    expect(hmac('key-1', 'value')).toBe(hmac('key-1', 'value'));
    expect(hmac('key-1', 'value')).not.toBe(hmac('key-2', 'value'));
  });

  it('compares safely, including strings of different length', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
