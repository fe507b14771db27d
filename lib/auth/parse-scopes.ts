import { SCOPES, type Scope } from '../config/hub-auth.js';

/** "read,run" as scopes; throws naming the offending word. */
export function parseScopes(list: string): Scope[] {
  const words = list
    .split(',')
    .map((w) => w.trim())
    .filter((w) => w !== '');
  if (words.length === 0) throw new Error(`--scope needs one or more of ${SCOPES.join(', ')}`);
  for (const w of words) {
    if (!(SCOPES as readonly string[]).includes(w)) throw new Error(`unknown scope "${w.slice(0, 40)}" (one of ${SCOPES.join(', ')})`);
  }
  return [...new Set(words)] as Scope[];
}
