/**
 * The API token the page sends when the hub requires one. Asked for when the hub answers 401,
 * kept for this tab only (sessionStorage): closing the tab forgets it.
 */
const KEY = 'pulse.token';

export function savedToken(): string | undefined {
  try {
    return sessionStorage.getItem(KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

export function authHeaders(): Record<string, string> {
  const t = savedToken();
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** Asks the user for a token; false when they cancel. `why` is the hub's own reason. */
export function askToken(why: string): boolean {
  const answer = window.prompt(`This hub wants an API token (${why}).\nCreate one with: pulse tokens create --scope read,run\n\nToken:`);
  const token = answer?.trim();
  if (!token) return false;
  try {
    sessionStorage.setItem(KEY, token);
  } catch {
    return false;
  }
  return true;
}
