/** Option keys whose values are secrets wherever they appear (Prometheus common's HTTP client config). */
const SECRET_KEYS = new Set([
  'password',
  'bearer_token',
  'client_secret',
  'password_file',
  'bearer_token_file',
  'credentials',
  'credentials_file',
  // http_headers' secret values, and the CONNECT headers (proxy credentials, as a rule).
  'secrets',
  'proxy_connect_header',
]);
const SECRET_HEADERS = /^(authorization|proxy-authorization|cookie)$/i;
export const REDACTED = '<secret>';

/** A URL with its user:password part hidden, for logs. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^@/]*@/i, `$1${REDACTED}@`);
}

/**
 * A copy of a module or its options with secrets replaced: passwords, tokens, credentials,
 * Authorization/Cookie headers and the user:password in a proxy URL. For anything shown back
 * (the exporter's debug page, the hub's stored measurements).
 */
export function redactSecrets(value: unknown): unknown {
  const walk = (v: unknown, key?: string): unknown => {
    if (key && SECRET_KEYS.has(key) && v !== undefined) return REDACTED;
    // grpc's metadata is headers too (authorization: [Bearer ...]).
    if ((key === 'headers' || key === 'metadata') && v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).map(([h, x]) => [h, SECRET_HEADERS.test(h) ? REDACTED : x]));
    }
    if (typeof v === 'string' && key === 'proxy_url') return redactUrl(v);
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    }
    return v;
  };
  return walk(value);
}
