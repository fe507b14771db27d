import { Command } from 'commander';
import { parseDuration } from '../lib/duration.js';
import { parseScopes } from '../lib/auth/parse-scopes.js';
import { createToken, isActive, readTokens, revokeToken, type TokenRecord } from '../lib/auth/token-file.js';

function fail(err: unknown, code = 1): void {
  process.stderr.write(`pulse tokens: ${(err as Error).message}\n`);
  process.exitCode = code;
}

function state(t: TokenRecord): string {
  if (t.revoked_at !== undefined) return `revoked ${t.revoked_at}`;
  if (!isActive(t)) return `expired ${t.expires_at}`;
  return t.expires_at === undefined ? 'active' : `active until ${t.expires_at}`;
}

/**
 * `pulse tokens create|list|revoke` on the hub's data directory (as `pulse certs` on a certificate
 * directory). A running hub re-reads the file when it changes: no restart.
 */
export function tokensCommand(): Command {
  const tokens = new Command('tokens').description('API tokens for the hub\'s users\' port (Authorization: Bearer TOKEN)');

  tokens
    .command('create')
    .description('create a token; it is printed once, alone on the last line (only its hash is kept)')
    .requiredOption('--data <dir>', 'the hub\'s data directory (hub.data_dir)')
    .requiredOption('--name <name>', 'who holds it: shown in audit lines and metrics')
    .requiredOption('--scope <scopes>', 'comma-separated: read, run, operate, admin')
    .option('--expires <duration>', 'valid for this long, e.g. 30d or 12h (default: until revoked)')
    .action(async (o: { data: string; name: string; scope: string; expires?: string }) => {
      let scopes: ReturnType<typeof parseScopes>;
      let expiresAt: Date | undefined;
      try {
        scopes = parseScopes(o.scope);
        if (o.expires !== undefined) {
          const seconds = parseDuration(o.expires);
          if (seconds <= 0) throw new Error('--expires must be above 0');
          expiresAt = new Date(Date.now() + seconds * 1000);
        }
      } catch (err) {
        return fail(err, 2);
      }
      try {
        const { token, record } = await createToken(o.data, { name: o.name, scopes, ...(expiresAt ? { expiresAt } : {}) });
        process.stdout.write(`created token "${record.name}" (id ${record.id}, scopes ${record.scopes.join(',')}, ${state(record)}); it is not shown again:\n${token}\n`);
      } catch (err) {
        fail(err);
      }
    });

  tokens
    .command('list')
    .description('the tokens: name, id, scopes, state (never the tokens themselves)')
    .requiredOption('--data <dir>', 'the hub\'s data directory')
    .option('--json', 'one JSON object per line')
    .action(async (o: { data: string; json?: boolean }) => {
      try {
        for (const t of await readTokens(o.data)) {
          const { salt: _s, hash: _h, ...shown } = t;
          process.stdout.write(o.json ? `${JSON.stringify(shown)}\n` : `${t.name}\t${t.id}\t${t.scopes.join(',')}\t${state(t)}\n`);
        }
      } catch (err) {
        fail(err);
      }
    });

  tokens
    .command('revoke')
    .description('revoke the token with this name or id; a running hub refuses it at the next request')
    .requiredOption('--data <dir>', 'the hub\'s data directory')
    .argument('<name-or-id>')
    .action(async (which: string, o: { data: string }) => {
      try {
        const n = await revokeToken(o.data, which);
        if (n === 0) throw new Error(`no active token named or with id "${which.slice(0, 128)}"`);
        process.stdout.write(`revoked ${n} token${n === 1 ? '' : 's'}\n`);
      } catch (err) {
        fail(err);
      }
    });
  return tokens;
}
