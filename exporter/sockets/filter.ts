import { isIP } from 'node:net';
import type { TcpSocket } from './parse.js';

/** Which remote end a `sockets` test keeps: any address and/or any port when undefined. */
export interface RemoteFilter {
  address?: string;
  port?: number;
}

/** `*`, `ADDR`, `ADDR:PORT`, `[V6]:PORT`, `*:PORT` → a filter, or a reason it is not one. */
export function parseRemoteFilter(target: string): RemoteFilter | string {
  if (target === '*' || target === 'all') return {};
  let address: string | undefined = target;
  let portText: string | undefined;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(target);
  const v4 = /^([^:]+):(\d+)$/.exec(target);
  if (v6) [, address, portText] = v6;
  else if (v4) [, address, portText] = v4;
  if (address === '*') address = undefined;
  const filter: RemoteFilter = {};
  if (address !== undefined) {
    if (isIP(address) === 0) return `"${address}" is not an IP address (the filter is *, ADDR, ADDR:PORT, [V6]:PORT or *:PORT)`;
    filter.address = address.toLowerCase();
  }
  if (portText !== undefined) {
    const port = Number(portText);
    if (port < 1 || port > 65_535) return `port ${portText} is out of range (1-65535)`;
    filter.port = port;
  }
  return filter;
}

/** An IPv4 filter also matches the IPv4-mapped form a dual-stack socket shows (::ffff:a.b.c.d). */
export function matchesRemote(s: TcpSocket, f: RemoteFilter): boolean {
  if (f.port !== undefined && s.remote.port !== f.port) return false;
  if (f.address === undefined) return true;
  return s.remote.address === f.address || s.remote.address === `::ffff:${f.address}`;
}
