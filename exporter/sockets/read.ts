import { readFile } from 'node:fs/promises';
import { endianness } from 'node:os';
import { parseProcNetTcp, type TcpSocket } from './parse.js';

/**
 * This host's TCP sockets, IPv4 and IPv6. `netDir` is /proc/net (this process's network
 * namespace) or /proc/PID/net (another process's). A missing tcp6 (IPv6 disabled) is no sockets.
 */
export async function readTcpSockets(netDir = '/proc/net'): Promise<TcpSocket[]> {
  const le = endianness() === 'LE';
  const [v4, v6] = await Promise.all([readOrEmpty(`${netDir}/tcp`), readOrEmpty(`${netDir}/tcp6`)]);
  return [...parseProcNetTcp(v4, 4, le), ...parseProcNetTcp(v6, 6, le)];
}

async function readOrEmpty(file: string): Promise<string> {
  try {
    return await readFile(file, 'latin1');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}
