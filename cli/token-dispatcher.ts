import { Agent, type Dispatcher } from 'undici';

type Headers = Dispatcher.DispatchOptions['headers'];

/** `headers` as undici may hold them (flat array, array of pairs, object), with authorization set. */
export function withAuthorization(headers: Headers, value: string): Headers {
  if (headers === undefined || headers === null) return { authorization: value };
  if (Array.isArray(headers)) {
    if (headers.length > 0 && Array.isArray(headers[0])) return [...(headers as unknown as string[][]).filter((h) => h[0]?.toLowerCase() !== 'authorization'), ['authorization', value]] as never;
    const flat: string[] = [];
    for (let i = 0; i + 1 < headers.length; i += 2) {
      if (String(headers[i]).toLowerCase() !== 'authorization') flat.push(String(headers[i]), String(headers[i + 1]));
    }
    return [...flat, 'authorization', value];
  }
  const out: Record<string, string | string[] | undefined> = {};
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) if (k.toLowerCase() !== 'authorization') out[k] = v;
  out.authorization = value;
  return out;
}

/**
 * A dispatcher that sends `Authorization: Bearer TOKEN` on every request: --token / PULSE_TOKEN
 * reach every hub call (tests, agents, get, op) through the one dispatcher they already share.
 */
export function tokenDispatcher(token: string, base: Dispatcher = new Agent()): Dispatcher {
  const value = `Bearer ${token}`;
  return base.compose((dispatch) => (opts, handler) => dispatch({ ...opts, headers: withAuthorization(opts.headers, value) }, handler));
}
