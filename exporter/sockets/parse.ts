import { formatIPv6 } from '../probers/dns/rdata.js';

/**
 * /proc/net/tcp and /proc/net/tcp6, read as netstat and ss do: one socket per line, addresses in
 * hex (each 32-bit word in the host's byte order), the state as the kernel's TCP_* number.
 */

/** The kernel's TCP states (include/net/tcp_states.h), as `ss` names them, lower-cased. */
export const TCP_STATES = {
  1: 'established',
  2: 'syn_sent',
  3: 'syn_recv',
  4: 'fin_wait1',
  5: 'fin_wait2',
  6: 'time_wait',
  7: 'close',
  8: 'close_wait',
  9: 'last_ack',
  10: 'listen',
  11: 'closing',
} as const;
export type TcpState = (typeof TCP_STATES)[keyof typeof TCP_STATES];
export const TCP_STATE_NAMES = Object.values(TCP_STATES) as TcpState[];

export interface Endpoint {
  address: string;
  port: number;
}

export interface TcpSocket {
  family: 4 | 6;
  state: TcpState;
  local: Endpoint;
  remote: Endpoint;
}

/** Every socket in one file's text; malformed lines (never seen, but a parser must not throw) are skipped. */
export function parseProcNetTcp(text: string, family: 4 | 6, littleEndian = true): TcpSocket[] {
  const out: TcpSocket[] = [];
  const lines = text.split('\n');
  for (let i = 1; i < lines.length; i++) {
    const f = lines[i]!.trim().split(/\s+/);
    if (f.length < 4) continue;
    const local = endpoint(f[1]!, family, littleEndian);
    const remote = endpoint(f[2]!, family, littleEndian);
    // 12 (TCP_NEW_SYN_RECV, a request socket) is printed as 3 by the kernel; read it so anyway.
    const code = Number.parseInt(f[3]!, 16);
    const state = TCP_STATES[(code === 12 ? 3 : code) as keyof typeof TCP_STATES];
    if (!local || !remote || !state) continue;
    out.push({ family, state, local, remote });
  }
  return out;
}

function endpoint(field: string, family: 4 | 6, le: boolean): Endpoint | undefined {
  const [hex, portHex] = field.split(':');
  if (!hex || !portHex || hex.length !== (family === 4 ? 8 : 32) || !/^[0-9A-Fa-f]+$/.test(hex)) return undefined;
  const bytes: number[] = [];
  for (let w = 0; w < hex.length; w += 8) {
    const word = [0, 2, 4, 6].map((o) => Number.parseInt(hex.slice(w + o, w + o + 2), 16));
    bytes.push(...(le ? word.reverse() : word));
  }
  return { address: family === 4 ? bytes.join('.') : formatIpv6(bytes), port: Number.parseInt(portHex, 16) };
}

/** RFC 5952 text of 16 bytes; IPv4-mapped shown as ::ffff:a.b.c.d, as ss prints it. */
export function formatIpv6(bytes: readonly number[]): string {
  const b = Buffer.from(bytes);
  const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
  return mapped ? `::ffff:${[...b.subarray(12)].join('.')}` : formatIPv6(b);
}

/** Sockets by family and state, every state present (0 when none), as /metrics exports them. */
export function zeroCounts(): Record<TcpState, number> {
  return Object.fromEntries(TCP_STATE_NAMES.map((s) => [s, 0])) as Record<TcpState, number>;
}

export function countByState(sockets: readonly TcpSocket[]): Record<'4' | '6', Record<TcpState, number>> {
  const out = { '4': zeroCounts(), '6': zeroCounts() };
  for (const s of sockets) out[s.family === 4 ? '4' : '6'][s.state]++;
  return out;
}

/**
 * Counts by state without building a socket per line: what /metrics does at every scrape, where
 * a host with tens of thousands of TIME_WAIT sockets must not cost as many objects.
 */
export function countProcNetTcp(text: string, into: Record<TcpState, number>): void {
  let at = text.indexOf('\n') + 1;
  while (at > 0 && at < text.length) {
    const end = text.indexOf('\n', at);
    const line = text.slice(at, end < 0 ? text.length : end);
    at = end < 0 ? text.length : end + 1;
    // "  sl: local remote st ...": the state is the fourth field.
    const f = line.trim().split(/\s+/, 4);
    if (f.length < 4) continue;
    const code = Number.parseInt(f[3]!, 16);
    const state = TCP_STATES[(code === 12 ? 3 : code) as keyof typeof TCP_STATES];
    if (state) into[state]++;
  }
}
