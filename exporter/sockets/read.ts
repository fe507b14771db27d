import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { countProcNetTcp, parseProcNetTcp, type TcpSocket, type TcpState, zeroCounts } from './parse.js';

/**
 * This host's TCP sockets, IPv4 and IPv6. `netDir` is /proc/net (this process's network
 * namespace) or /proc/PID/net (another process's). A missing tcp6 (IPv6 disabled) is no sockets.
 */
export async function readTcpSockets(netDir = '/proc/net'): Promise<TcpSocket[]> {
  const le = endianness() === 'LE';
  const [v4, v6] = await Promise.all([readOrEmpty(`${netDir}/tcp`), readOrEmpty(`${netDir}/tcp6`)]);
  return [...parseProcNetTcp(v4, 4, le), ...parseProcNetTcp(v6, 6, le)];
}

/** Sockets by family and state only (the /metrics path): no socket objects. */
export async function countTcpSockets(netDir = '/proc/net'): Promise<Record<'4' | '6', Record<TcpState, number>>> {
  const [v4, v6] = await Promise.all([readOrEmpty(`${netDir}/tcp`), readOrEmpty(`${netDir}/tcp6`)]);
  const out = { '4': zeroCounts(), '6': zeroCounts() };
  countProcNetTcp(v4, out['4']);
  countProcNetTcp(v6, out['6']);
  return out;
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}
