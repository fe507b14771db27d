import type { HttpOptions } from './http.js';

/** Problems with the module's options that the schema cannot express; checked before probing. */
export function httpOptionsError(o: HttpOptions): string | undefined {
  const auth = [
    o.basic_auth && 'basic_auth',
    o.authorization && 'authorization',
    o.oauth2 && 'oauth2',
    (o.bearer_token || o.bearer_token_file) && 'bearer_token',
  ].filter(Boolean);
  if (auth.length > 1) return `at most one of basic_auth, authorization, oauth2 and bearer_token may be configured, found ${auth.join(', ')}`;
  if (o.bearer_token && o.bearer_token_file) return 'at most one of bearer_token and bearer_token_file may be configured';
  if (o.basic_auth?.password !== undefined && o.basic_auth.password_file !== undefined) {
    return 'at most one of basic_auth.password and basic_auth.password_file may be configured';
  }
  if (o.basic_auth?.username && o.basic_auth.username_file !== undefined) {
    return 'at most one of basic_auth username & username_file must be configured';
  }
  if (o.oauth2?.client_secret !== undefined && o.oauth2.client_secret_file !== undefined) {
    return 'at most one of oauth2 client_secret & client_secret_file must be configured';
  }
  const proxy = proxyError(o);
  if (proxy) return proxy;
  if (o.body && o.body_file !== undefined) return 'setting body and body_file both are not allowed';
  if (o.valid_http_versions.includes('HTTP/3.0')) return 'HTTP/3 cannot be used as a valid HTTP version when enable_http3 is false';
  if (o.authorization?.credentials !== undefined && o.authorization.credentials_file !== undefined) {
    return 'at most one of authorization.credentials and authorization.credentials_file may be configured';
  }
  if (o.authorization && o.authorization.type.toLowerCase() === 'basic') return 'authorization.type "Basic" is not allowed; use basic_auth';
  const acceptKey = Object.keys(o.headers).find((k) => k.toLowerCase() === 'accept-encoding');
  const accept = acceptKey === undefined ? undefined : o.headers[acceptKey];
  if (o.compression && accept && !acceptsEncoding(accept, o.compression)) {
    return `invalid configuration "${acceptKey}: ${accept}", "compression: ${o.compression}"`;
  }
  if (o.headers_only && (o.fail_if_body_matches_regexp.length > 0 || o.fail_if_body_not_matches_regexp.length > 0)) {
    return 'headers_only cannot be combined with fail_if_body_matches_regexp or fail_if_body_not_matches_regexp: the body is never read';
  }
  return undefined;
}

/** Prometheus common's proxy rules (HTTPClientConfig.Validate). */
function proxyError(o: HttpOptions): string | undefined {
  if (o.no_proxy !== undefined && !o.proxy_url) return 'if no_proxy is configured, proxy_url must also be configured';
  if (o.proxy_from_environment && o.proxy_url) return 'if proxy_from_environment is configured, proxy_url must not be configured';
  if (o.proxy_from_environment && o.no_proxy !== undefined) return 'if proxy_from_environment is configured, no_proxy must not be configured';
  if (o.proxy_connect_header && Object.keys(o.proxy_connect_header).length > 0 && !o.proxy_url && !o.proxy_from_environment) {
    return 'if proxy_connect_header is configured, proxy_url or proxy_from_environment must also be configured';
  }
  return undefined;
}

/**
 * blackbox's rule: the compression asked for must be among the Accept-Encoding codings the
 * headers send, with a non-zero quality; the first entry naming it (or `*`), by quality, decides.
 */
function acceptsEncoding(header: string, compression: string): boolean {
  const codings = header.split(',').map((part, order) => {
    const semi = part.lastIndexOf(';');
    const name = (semi < 0 ? part : part.slice(0, semi)).trim();
    const q = semi < 0 ? 1 : Number.parseFloat(part.slice(semi + 1).trim().replace(/^q=/, ''));
    return { name, q: Number.isFinite(q) ? q : 0, order };
  });
  codings.sort((a, b) => b.q - a.q || a.order - b.order);
  const decisive = codings.find((c) => c.name === compression || c.name === '*');
  return decisive !== undefined && decisive.q > 0;
}

/** A header's value from a module's `headers:` map, whatever the case of its name. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
