import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Type from 'typebox';
import Value from 'typebox/value';
import { Scope } from '../config/hub-auth.js';
import { hashSecret, newToken } from './token-secret.js';

/** The tokens file, beside agents.json in the hub's data directory. */
export function tokensFile(dataDir: string): string {
  return join(dataDir, 'tokens.json');
}

export const TokenRecord = Type.Object(
  {
    id: Type.String({ pattern: '^[0-9a-f]{16}$' }),
    name: Type.String({ minLength: 1, maxLength: 128 }),
    scopes: Type.Array(Scope, { minItems: 1 }),
    salt: Type.String(),
    hash: Type.String(),
    created_at: Type.String(),
    expires_at: Type.Optional(Type.String()),
    revoked_at: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type TokenRecord = Type.Static<typeof TokenRecord>;

const TokensDocument = Type.Object({ version: Type.Literal(1), tokens: Type.Array(TokenRecord) }, { additionalProperties: false });

/** The records in `text` (the file's content), or an error naming the file and the first bad key. */
export function parseTokensFile(text: string, file: string): TokenRecord[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  if (!Value.Check(TokensDocument, doc)) {
    const first = Value.Errors(TokensDocument, doc)[0];
    throw new Error(`${file}: ${first ? `${first.instancePath || '/'} ${first.message}` : 'not a tokens file'}`);
  }
  return doc.tokens;
}

export async function readTokens(dataDir: string): Promise<TokenRecord[]> {
  const file = tokensFile(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseTokensFile(text, file);
}

/** Written to a temporary file and renamed: a hub reading it never sees half a file. */
async function writeTokens(dataDir: string, tokens: TokenRecord[]): Promise<void> {
  await mkdir(dataDir, { recursive: true });
  const file = tokensFile(dataDir);
  const tmp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, `${JSON.stringify({ version: 1, tokens }, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

export function isActive(t: TokenRecord, now = Date.now()): boolean {
  return t.revoked_at === undefined && (t.expires_at === undefined || Date.parse(t.expires_at) > now);
}

export interface CreateTokenRequest {
  name: string;
  scopes: Scope[];
  /** When the token stops working; none: until revoked. */
  expiresAt?: Date;
}

/** Adds a token and returns it: the only time it is seen, as only its hash is kept. */
export async function createToken(dataDir: string, req: CreateTokenRequest): Promise<{ token: string; record: TokenRecord }> {
  if (!/^[A-Za-z0-9._@-]{1,128}$/.test(req.name)) throw new Error('--name must be 1 to 128 letters, digits or . _ @ -');
  const tokens = await readTokens(dataDir);
  if (tokens.some((t) => t.name === req.name && isActive(t))) throw new Error(`a token named "${req.name}" exists; revoke it first or pick another name`);
  const { token, id, secret } = newToken();
  const record: TokenRecord = { id, name: req.name, scopes: req.scopes, ...(await hashSecret(secret)), created_at: new Date().toISOString() };
  if (req.expiresAt) record.expires_at = req.expiresAt.toISOString();
  await writeTokens(dataDir, [...tokens, record]);
  return { token, record };
}

/** Revokes the active tokens with this name or id; returns how many. */
export async function revokeToken(dataDir: string, nameOrId: string): Promise<number> {
  const tokens = await readTokens(dataDir);
  const now = new Date().toISOString();
  let n = 0;
  for (const t of tokens) {
    if ((t.name === nameOrId || t.id === nameOrId) && t.revoked_at === undefined) {
      t.revoked_at = now;
      n++;
    }
  }
  if (n > 0) await writeTokens(dataDir, tokens);
  return n;
}
