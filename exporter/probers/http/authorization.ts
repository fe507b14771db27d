import type { HttpOptions } from '../../../lib/config/probers/http.js';

/**
 * The Authorization header: from oauth2 when configured, else the module's other credentials.
 * The token client (and undici with it) is loaded only for a module with `oauth2`: an agent that
 * has none does not carry it.
 */
export async function oauth2OrAuthorization(
  o: HttpOptions,
  other: string | undefined | Promise<string | undefined>,
  signal: AbortSignal,
  stage: (s: string) => void,
): Promise<string | undefined> {
  if (!o.oauth2) return other instanceof Promise ? await other : other;
  stage(`fetching an OAuth 2 token from ${new URL(o.oauth2.token_url).origin}`);
  const { oauth2Header } = await import('./oauth2.js');
  return oauth2Header(o.oauth2, signal);
}
