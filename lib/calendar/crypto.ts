import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config';
import { AppError } from '../errors';

/**
 * Secrets at rest (OAuth tokens): AES-256-GCM with a fresh 12-byte IV and a 16-byte tag, bound to
 * their owner by associated data `orbita:<userId>:<provider>:<field>`. Text format:
 * `v1.<keyId>.<iv>.<ciphertext>.<tag>` (base64url parts). Key id = first 16 hex characters of
 * SHA-256 of the key bytes, so the keyring can tell which key wrote a value.
 *
 * The functions are pure over a Keyring; `loadKeyring(config())` builds the process's one.
 */

export interface KeyringKey {
  id: string;
  key: Buffer;
}

export interface Keyring {
  /** The key that writes (ORBITA_ENCRYPTION_KEY); null when it is not set. */
  current: KeyringKey | null;
  /** Every key that reads, by id: the current one and ORBITA_ENCRYPTION_KEYS_OLD. */
  keys: Map<string, Buffer>;
}

/** Whose secret a value is: the associated data every value is bound to. */
export interface SecretContext {
  userId: string;
  provider: string;
  field: 'access_token' | 'refresh_token';
}

const VERSION = 'v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const keyNotSetMessage =
  'ORBITA_ENCRYPTION_KEY is not set: calendar tokens are encrypted at rest; set it to base64 of 32 random bytes (generate one with: openssl rand -base64 32)';

/** The key id of raw key bytes: first 16 hex characters of their SHA-256. */
export function keyIdOfKey(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function decodeKey(base64: string, variable: string): Buffer {
  const key = Buffer.from(base64.trim(), 'base64');
  if (key.length !== 32) throw new AppError('unavailable', `${variable} must be base64 of exactly 32 bytes (generate one with: openssl rand -base64 32)`);
  return key;
}

/** Builds a keyring from base64 keys (the current one writes; all of them read). */
export function buildKeyring(current: string | undefined | null, old: readonly string[] = []): Keyring {
  const keys = new Map<string, Buffer>();
  let currentKey: KeyringKey | null = null;
  if (current) {
    const key = decodeKey(current, 'ORBITA_ENCRYPTION_KEY');
    currentKey = { id: keyIdOfKey(key), key };
    keys.set(currentKey.id, key);
  }
  for (const text of old) {
    const key = decodeKey(text, 'ORBITA_ENCRYPTION_KEYS_OLD');
    const id = keyIdOfKey(key);
    if (!keys.has(id)) keys.set(id, key);
  }
  return { current: currentKey, keys };
}

/** The process keyring: ORBITA_ENCRYPTION_KEY writes, it and ORBITA_ENCRYPTION_KEYS_OLD read. */
export function loadKeyring(config: Pick<Config, 'ORBITA_ENCRYPTION_KEY' | 'ORBITA_ENCRYPTION_KEYS_OLD'>): Keyring {
  return buildKeyring(config.ORBITA_ENCRYPTION_KEY, config.ORBITA_ENCRYPTION_KEYS_OLD ?? []);
}

/** The current (writing) key, or AppError('unavailable') naming ORBITA_ENCRYPTION_KEY. */
export function requireCurrentKey(keyring: Keyring): KeyringKey {
  if (!keyring.current) throw new AppError('unavailable', keyNotSetMessage);
  return keyring.current;
}

const associatedData = (context: SecretContext) => Buffer.from(`orbita:${context.userId}:${context.provider}:${context.field}`, 'utf8');

/** Encrypts `plaintext` with the keyring's current key, bound to `context`. */
export function encryptSecret(keyring: Keyring, plaintext: string, context: SecretContext): string {
  const { id, key } = requireCurrentKey(keyring);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(associatedData(context));
  const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, id, iv.toString('base64url'), ciphertext.toString('base64url'), tag.toString('base64url')].join('.');
}

interface ParsedSecret {
  keyId: string;
  iv: Buffer;
  ciphertext: Buffer;
  tag: Buffer;
}

const base64url = /^[A-Za-z0-9_-]*$/;

function parseSecret(text: string): ParsedSecret {
  const parts = typeof text === 'string' ? text.split('.') : [];
  const malformed = () =>
    new AppError('unavailable', `cannot decrypt a stored secret: it is not in the ${VERSION}.<keyId>.<iv>.<ciphertext>.<tag> format (corrupted value?)`);
  if (parts.length !== 5 || parts[0] !== VERSION || !/^[0-9a-f]{16}$/.test(parts[1]) || !parts.slice(2).every((p) => base64url.test(p))) {
    throw malformed();
  }
  const [, keyId, iv, ciphertext, tag] = parts;
  const parsed = { keyId, iv: Buffer.from(iv, 'base64url'), ciphertext: Buffer.from(ciphertext, 'base64url'), tag: Buffer.from(tag, 'base64url') };
  if (parsed.iv.length !== IV_BYTES || parsed.tag.length !== TAG_BYTES) throw malformed();
  return parsed;
}

/** The key id a stored secret was encrypted with (throws on a malformed value). */
export function keyIdOf(text: string): string {
  return parseSecret(text).keyId;
}

/**
 * Decrypts a value written by encryptSecret with any key of the keyring. Throws
 * AppError('unavailable') naming the cause: no key configured, a key id the keyring does not
 * hold, or failed authentication (tampered value, or a value bound to another user/field).
 */
export function decryptSecret(keyring: Keyring, text: string, context: SecretContext): string {
  const parsed = parseSecret(text);
  const key = keyring.keys.get(parsed.keyId);
  if (!key) {
    if (keyring.keys.size === 0) throw new AppError('unavailable', keyNotSetMessage);
    throw new AppError(
      'unavailable',
      `cannot decrypt a stored ${context.field.replace('_', ' ')}: it was encrypted with key ${parsed.keyId}, which is neither ORBITA_ENCRYPTION_KEY nor in ORBITA_ENCRYPTION_KEYS_OLD`,
      { keyId: parsed.keyId },
    );
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, parsed.iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(associatedData(context));
    decipher.setAuthTag(parsed.tag);
    return Buffer.concat([decipher.update(parsed.ciphertext), decipher.final()]).toString('utf8');
  } catch {
    throw new AppError(
      'unavailable',
      `cannot decrypt a stored ${context.field.replace('_', ' ')} with key ${parsed.keyId}: authentication failed (the value was tampered with, or belongs to another user, provider or field)`,
      { keyId: parsed.keyId },
    );
  }
}
