import type { HttpOptions } from '../../../lib/config/probers/http.js';

/**
 * The Authorization header from the module's `oauth2` token. The token client (and undici with it)
 * is loaded only for a module with `oauth2`: an agent that has none does not carry it.
 */
export async function oauth2Authorization(config: NonNullable<HttpOptions['oauth2']>, signal: AbortSignal, stage: (s: string) => void): Promise<string | undefined> {
  stage(`fetching an OAuth 2 token from ${new URL(config.token_url).origin}`);
  const { oauth2Header } = await import('./oauth2.js');
  return oauth2Header(config, signal);
}
