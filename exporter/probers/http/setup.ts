import type { HttpOptions } from '../../../lib/config/probers/http.js';
import { oauth2Authorization } from './authorization.js';
import type { TlsParams } from './connect.js';
import { tlsOptions } from './dial-options.js';
import { httpHeaderLines } from '../shared/extra-headers.js';
import { authorization as authorizationOf, CookieJar } from './request.js';
import { proxyConnectHeaders } from './request-extras.js';

/** What every round trip of one probe shares, read once before the first. */
export interface HopSetup {
  tlsBase: Omit<TlsParams, 'serverName' | 'alpn'>;
  authorization: string | undefined;
  extraHeaders: [string, string][];
  connectHeaders: [string, string][];
  jar: CookieJar;
}

/**
 * The module's TLS options, credentials and extra headers for this probe. Their promises (and
 * awaits) come only when files must be read or a token fetched: this function's own promise is
 * the one await a plain module costs.
 */
export async function hopSetup(o: HttpOptions, signal: AbortSignal, stage: (s: string) => void): Promise<HopSetup> {
  const tlsPending = tlsOptions(o);
  const tlsBase = tlsPending instanceof Promise ? await tlsPending : tlsPending;
  const authPending = o.oauth2 ? oauth2Authorization(o.oauth2, signal, stage) : authorizationOf(o);
  const authorization = authPending instanceof Promise ? await authPending : authPending;
  const extraPending = httpHeaderLines(o.http_headers);
  const extraHeaders = extraPending instanceof Promise ? await extraPending : extraPending;
  return { tlsBase, authorization, extraHeaders, connectHeaders: proxyConnectHeaders(o.proxy_connect_header), jar: new CookieJar() };
}
