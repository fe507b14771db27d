import { randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;

/**
 * A token is `pulse_ID_SECRET`: the id finds the record without hashing (so unknown tokens cost
 * nothing), the secret is checked against its scrypt hash (so a stolen tokens file gives no token).
 */
const TOKEN = /^pulse_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

/** scrypt cost: about 50 ms per check on a laptop; the hub caches tokens it has verified. */
const KDF = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export interface ParsedToken {
  id: string;
  secret: string;
}

export function parseToken(token: string): ParsedToken | undefined {
  const m = TOKEN.exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : undefined;
}

export function newToken(): { token: string; id: string; secret: string } {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return { token: `pulse_${id}_${secret}`, id, secret };
}

export interface SecretHash {
  salt: string;
  hash: string;
}

export async function hashSecret(secret: string): Promise<SecretHash> {
  const salt = randomBytes(16);
  const hash = await scrypt(secret, salt, KEY_LENGTH, KDF);
  return { salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function secretMatches(secret: string, stored: SecretHash): Promise<boolean> {
  const want = Buffer.from(stored.hash, 'base64');
  const got = await scrypt(secret, Buffer.from(stored.salt, 'base64'), want.length || KEY_LENGTH, KDF);
  return want.length === got.length && timingSafeEqual(want, got);
}
