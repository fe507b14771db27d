import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createToken, isActive, readTokens } from '../lib/auth/token-file.js';

/**
 * The quickstart's admin token: made on first run (only its hash goes into tokens.json), kept in
 * DATA/admin.token (mode 0600) so later runs print the same one, made again if it was revoked.
 */
export async function ensureAdminToken(dataDir: string): Promise<{ token: string; file: string }> {
  const file = join(dataDir, 'admin.token');
  const kept = await readFile(file, 'utf8').then(
    (t) => t.trim(),
    () => '',
  );
  const id = /^pulse_([0-9a-f]{16})_/.exec(kept)?.[1];
  if (id && (await readTokens(dataDir)).some((t) => t.id === id && isActive(t))) return { token: kept, file };
  const { token } = await createToken(dataDir, { name: `quickstart-admin-${Date.now()}`, scopes: ['admin'] });
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return { token, file };
}
