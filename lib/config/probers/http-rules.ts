import type { HttpOptions } from './http.js';

/** Problems with the module's options that the schema cannot express; checked before probing. */
export function httpOptionsError(o: HttpOptions): string | undefined {
  const auth = [o.basic_auth && 'basic_auth', o.authorization && 'authorization', (o.bearer_token || o.bearer_token_file) && 'bearer_token']
    .filter(Boolean);
  if (auth.length > 1) return `at most one of basic_auth, authorization and bearer_token may be configured, found ${auth.join(', ')}`;
  if (o.bearer_token && o.bearer_token_file) return 'at most one of bearer_token and bearer_token_file may be configured';
  if (o.basic_auth?.password !== undefined && o.basic_auth.password_file !== undefined) {
    return 'at most one of basic_auth.password and basic_auth.password_file may be configured';
  }
  if (o.authorization?.credentials !== undefined && o.authorization.credentials_file !== undefined) {
    return 'at most one of authorization.credentials and authorization.credentials_file may be configured';
  }
  if (o.authorization && o.authorization.type.toLowerCase() === 'basic') return 'authorization.type "Basic" is not allowed; use basic_auth';
  const accept = headerValue(o.headers, 'accept-encoding');
  if (o.compression && accept !== undefined && !acceptsEncoding(accept, o.compression)) {
    return `invalid configuration "Accept-Encoding: ${accept}", "compression: ${o.compression}"`;
  }
  if (o.headers_only && (o.fail_if_body_matches_regexp.length > 0 || o.fail_if_body_not_matches_regexp.length > 0)) {
    return 'headers_only cannot be combined with fail_if_body_matches_regexp or fail_if_body_not_matches_regexp: the body is never read';
  }
  return undefined;
}

function acceptsEncoding(header: string, compression: string): boolean {
  return header.split(',').some((part) => {
    const [name, ...params] = part.trim().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)?.[1]).find((v) => v !== undefined);
    return name?.trim().toLowerCase() === compression.toLowerCase() && (q === undefined || Number(q) > 0);
  });
}

/** A header's value from a module's `headers:` map, whatever the case of its name. */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
