import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import type { Scope } from './scopes.js';
import { isActive, parseTokensFile, type TokenRecord, tokensFile } from '../../lib/auth/token-file.js';
import { parseToken, secretMatches } from '../../lib/auth/token-secret.js';

export interface TokenIdentity {
  kind: 'token';
  /** The token's name: who, in audit lines and metrics. */
  name: string;
  id: string;
  scopes: Scope[];
}

export type TokenCheck = { ok: true; identity: TokenIdentity } | { ok: false; reason: string };

/** Verified secrets kept so that scrypt runs once per token, not once per request. */
const MAX_CACHED = 10_000;

/**
 * Checks bearer tokens against the data directory's tokens file, re-read whenever it changed
 * (`pulse tokens create|revoke` take effect on the next request, without a restart). A file that
 * cannot be read or parsed refuses every token until it is mended: failing open would be worse.
 */
export class TokenVerifier {
  private readonly file: string;
  private records = new Map<string, TokenRecord>();
  private version = '';
  private broken: string | undefined;
  private readonly verified = new Map<string, string>();

  constructor(
    dataDir: string,
    private readonly log: { error(o: object, m: string): void } = { error: () => {} },
  ) {
    this.file = tokensFile(dataDir);
  }

  /** Reads the file now; throws when it exists and is not valid (the hub then refuses to start). */
  async init(): Promise<void> {
    await this.refresh(true);
  }

  async check(token: string): Promise<TokenCheck> {
    const parsed = parseToken(token);
    if (!parsed) return { ok: false, reason: 'not a Pulse token (pulse_ID_SECRET, from `pulse tokens create`)' };
    await this.refresh(false);
    if (this.broken) return { ok: false, reason: 'the hub cannot read its tokens file; see its log' };
    const record = this.records.get(parsed.id);
    if (!record) return { ok: false, reason: 'unknown token' };
    const key = createHash('sha256').update(token).digest('base64');
    if (this.verified.get(key) !== record.id) {
      if (!(await secretMatches(parsed.secret, record))) return { ok: false, reason: 'unknown token' };
      if (this.verified.size >= MAX_CACHED) this.verified.clear();
      this.verified.set(key, record.id);
    }
    if (record.revoked_at !== undefined) return { ok: false, reason: `token "${record.name}" was revoked` };
    if (!isActive(record)) return { ok: false, reason: `token "${record.name}" expired at ${record.expires_at}` };
    return { ok: true, identity: { kind: 'token', name: record.name, id: record.id, scopes: record.scopes } };
  }

  private async refresh(strict: boolean): Promise<void> {
    let version: string;
    try {
      const s = await stat(this.file);
      version = `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return this.fail(err as Error, strict);
      version = 'none';
    }
    if (version === this.version) return;
    try {
      const records = version === 'none' ? [] : parseTokensFile(await readFile(this.file, 'utf8'), this.file);
      this.records = new Map(records.map((r) => [r.id, r]));
      this.broken = undefined;
      this.version = version;
    } catch (err) {
      this.fail(err as Error, strict);
    }
  }

  private fail(err: Error, strict: boolean): void {
    if (strict) throw err;
    if (this.broken !== err.message) this.log.error({ err: err.message }, 'tokens file unreadable: every token is refused until it is mended');
    this.broken = err.message;
    this.version = '';
  }
}
