import Type from 'typebox';
import { DialogueStep } from './dialogue.js';
import { Endpoint } from './sockets.js';
import { TlsSummary } from './tls.js';

/** One connect of a TCP ping (`packets` set): answered (SYN-ACK, or RST) or lost. */
export const TcpPingReply = Type.Object({
  seq: Type.Number(),
  /** Seconds; absent when lost. */
  rtt: Type.Optional(Type.Number()),
  result: Type.Union([Type.Literal('open'), Type.Literal('refused'), Type.Literal('lost'), Type.Literal('error')]),
  error: Type.Optional(Type.String()),
});
export type TcpPingReply = Type.Static<typeof TcpPingReply>;

/** The tcp prober's `details` (exporter/probers/tcp/run.ts writes them; client/details-sockets.ts reads them). */
export const TcpDetails = Type.Object({
  host: Type.String(),
  port: Type.Number(),
  ip: Type.Optional(Type.String()),
  ip_protocol: Type.Optional(Type.Union([Type.Literal(4), Type.Literal(6)])),
  /** TCP ping only. */
  ping: Type.Optional(Type.Array(TcpPingReply)),
  /** One connection only (no `packets`): its two ends, TLS, the dialogue and the first matched line. */
  connection: Type.Optional(Type.Object({ local: Type.Optional(Endpoint), remote: Endpoint })),
  tls: Type.Optional(TlsSummary),
  steps: Type.Optional(Type.Array(DialogueStep)),
  banner: Type.Optional(Type.String()),
});
export type TcpDetails = Type.Static<typeof TcpDetails>;
