import Type from 'typebox';
import { TlsConfig, type UnsupportedOption } from '../common.js';
import { QueryResponse, queryResponseError } from './tcp.js';

/**
 * The `unix:` section of a module (blackbox 0.27+): the tcp dialogue over a Unix domain socket,
 * the target being the socket's path.
 */
export const UnixOptions = Type.Object(
  {
    query_response: Type.Array(QueryResponse, { default: [] }),
    tls: Type.Boolean({ default: false }),
    tls_config: Type.Optional(TlsConfig),
  },
  { additionalProperties: false },
);
export type UnixOptions = Type.Static<typeof UnixOptions>;

export const unixUnsupported: UnsupportedOption[] = [];

export function unixOptionsError(o: UnixOptions): string | undefined {
  return queryResponseError(o.query_response);
}
