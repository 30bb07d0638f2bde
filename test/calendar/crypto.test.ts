import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  buildKeyring,
  decryptSecret,
  encryptSecret,
  keyIdOf,
  keyIdOfKey,
  loadKeyring,
  type SecretContext,
} from '../../lib/calendar/crypto';
import { parseConfig } from '../../lib/config';
import { AppError } from '../../lib/errors';

const newKey = () => randomBytes(32).toString('base64');
const ctx: SecretContext = { userId: '6f1c0a52-7a52-4a43-9c43-3d1f4cbb8a11', provider: 'google', field: 'access_token' };

function expectAppError(fn: () => unknown, code: string, message: RegExp) {
  let thrown: unknown;
  try {
    fn();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(AppError);
  expect((thrown as AppError).code).toBe(code);
  expect((thrown as AppError).message).toMatch(message);
}

/** Replaces the part at `index` of a v1 value with `mutate(part)`. */
function withPart(text: string, index: number, mutate: (part: Buffer) => Buffer): string {
  const parts = text.split('.');
  parts[index] = mutate(Buffer.from(parts[index], 'base64url')).toString('base64url');
  return parts.join('.');
}

const flipFirstBit = (b: Buffer) => {
  const copy = Buffer.from(b);
  copy[0] ^= 0x01;
  return copy;
};

describe('calendar crypto', () => {
  it('round-trips and writes the v1 format with a 12-byte IV, a 16-byte tag and the key id', () => {
    const key = newKey();
    const keyring = buildKeyring(key);
    const text = encryptSecret(keyring, 'ya29.secret-access-token', ctx);
    const parts = text.split('.');
    expect(parts).toHaveLength(5);
    expect(parts[0]).toBe('v1');
    const expectedId = createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 16);
    expect(parts[1]).toBe(expectedId);
    expect(keyIdOf(text)).toBe(expectedId);
    expect(keyIdOfKey(Buffer.from(key, 'base64'))).toBe(expectedId);
    expect(Buffer.from(parts[2], 'base64url')).toHaveLength(12);
    expect(Buffer.from(parts[4], 'base64url')).toHaveLength(16);
    for (const p of parts.slice(2)) expect(p).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(text).not.toContain('secret-access-token');
    expect(decryptSecret(keyring, text, ctx)).toBe('ya29.secret-access-token');
  });

  it('uses a fresh IV every time', () => {
    const keyring = buildKeyring(newKey());
    const a = encryptSecret(keyring, 'same', ctx);
    const b = encryptSecret(keyring, 'same', ctx);
    expect(a).not.toBe(b);
    expect(a.split('.')[2]).not.toBe(b.split('.')[2]);
  });

  it.each([
    ['ciphertext', 3],
    ['tag', 4],
    ['iv', 2],
  ])('a tampered %s fails loudly (authentication failure)', (_name, index) => {
    const keyring = buildKeyring(newKey());
    const text = encryptSecret(keyring, 'refresh-me', { ...ctx, field: 'refresh_token' });
    expectAppError(() => decryptSecret(keyring, withPart(text, index, flipFirstBit), { ...ctx, field: 'refresh_token' }), 'unavailable', /authentication failed/);
  });

  it.each([
    ['another user', { ...ctx, userId: '00000000-0000-4000-8000-000000000000' }],
    ['another provider', { ...ctx, provider: 'microsoft' }],
    ['another field', { ...ctx, field: 'refresh_token' as const }],
  ])('wrong associated data (%s) fails loudly', (_name, other) => {
    const keyring = buildKeyring(newKey());
    const text = encryptSecret(keyring, 'token', ctx);
    expectAppError(() => decryptSecret(keyring, text, other), 'unavailable', /authentication failed/);
  });

  it('an unknown key id fails loudly, naming the key and both variables', () => {
    const writer = buildKeyring(newKey());
    const text = encryptSecret(writer, 'token', ctx);
    const reader = buildKeyring(newKey(), [newKey()]);
    expectAppError(
      () => decryptSecret(reader, text, ctx),
      'unavailable',
      new RegExp(`encrypted with key ${keyIdOf(text)}, which is neither ORBITA_ENCRYPTION_KEY nor in ORBITA_ENCRYPTION_KEYS_OLD`),
    );
  });

  it('a key id swapped into the value (to another known key) fails authentication', () => {
    const a = newKey();
    const b = newKey();
    const keyring = buildKeyring(a, [b]);
    const text = encryptSecret(keyring, 'token', ctx);
    const parts = text.split('.');
    parts[1] = keyIdOfKey(Buffer.from(b, 'base64'));
    expectAppError(() => decryptSecret(keyring, parts.join('.'), ctx), 'unavailable', /authentication failed/);
  });

  it('malformed values fail with a clear message', () => {
    const keyring = buildKeyring(newKey());
    for (const bad of ['', 'plain-token', 'v2.0123456789abcdef.a.b.c', 'v1.nothex.AAAA.AAAA.AAAA', 'v1.0123456789abcdef.AAAA.AAAA.AAAA']) {
      expectAppError(() => decryptSecret(keyring, bad, ctx), 'unavailable', /not in the v1\.<keyId>/);
    }
  });

  it('no key configured: writing and reading name ORBITA_ENCRYPTION_KEY', () => {
    const empty = buildKeyring(undefined);
    expectAppError(() => encryptSecret(empty, 'token', ctx), 'unavailable', /^ORBITA_ENCRYPTION_KEY is not set: /);
    const text = encryptSecret(buildKeyring(newKey()), 'token', ctx);
    expectAppError(() => decryptSecret(empty, text, ctx), 'unavailable', /^ORBITA_ENCRYPTION_KEY is not set: /);
  });

  it('old keys read but never write', () => {
    const oldKey = newKey();
    const current = newKey();
    const before = encryptSecret(buildKeyring(oldKey), 'token', ctx);
    const keyring = buildKeyring(current, [oldKey]);
    expect(decryptSecret(keyring, before, ctx)).toBe('token');
    const after = encryptSecret(keyring, 'token', ctx);
    expect(keyIdOf(after)).toBe(keyIdOfKey(Buffer.from(current, 'base64')));
    expect(keyIdOf(after)).not.toBe(keyIdOf(before));
  });

  it('loadKeyring reads the parsed config (ORBITA_ENCRYPTION_KEY and the comma-separated old keys)', () => {
    const current = newKey();
    const old1 = newKey();
    const old2 = newKey();
    const keyring = loadKeyring(parseConfig({ ORBITA_ENCRYPTION_KEY: current, ORBITA_ENCRYPTION_KEYS_OLD: `${old1}, ${old2}` }));
    expect(keyring.current?.id).toBe(keyIdOfKey(Buffer.from(current, 'base64')));
    expect([...keyring.keys.keys()].sort()).toEqual([current, old1, old2].map((k) => keyIdOfKey(Buffer.from(k, 'base64'))).sort());
    expect(loadKeyring(parseConfig({})).current).toBeNull();
  });
});
