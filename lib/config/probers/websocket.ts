import Type from 'typebox';
import { TlsConfig, type UnsupportedOption } from '../common.js';
import { Authorization, BasicAuth } from './http.js';
import { HttpHeaders } from './http-client.js';
import { QueryResponse, queryResponseError } from './tcp.js';

/** The part of Prometheus common's http client config blackbox's websocket prober reads. */
export const WebsocketHttpConfig = Type.Object(
  {
    basic_auth: Type.Optional(BasicAuth),
    authorization: Type.Optional(Authorization),
    tls_config: Type.Optional(TlsConfig),
  },
  { additionalProperties: false },
);

/**
 * The `websocket:` section of a module, as on blackbox's main branch: upgrade to a WebSocket at
 * the ws:// or wss:// target, then a dialogue of messages (expect / send), one message a step.
 */
export const WebsocketOptions = Type.Object(
  {
    http_config: Type.Optional(WebsocketHttpConfig),
    headers: Type.Optional(HttpHeaders),
    query_response: Type.Array(QueryResponse, { default: [] }),
    preferred_ip_protocol: Type.Enum(['ip4', 'ip6'], { default: 'ip6' }),
    ip_protocol_fallback: Type.Boolean({ default: true }),
  },
  { additionalProperties: false },
);
export type WebsocketOptions = Type.Static<typeof WebsocketOptions>;

export const websocketUnsupported: UnsupportedOption[] = [];

export function websocketOptionsError(o: WebsocketOptions): string | undefined {
  return queryResponseError(o.query_response);
}
