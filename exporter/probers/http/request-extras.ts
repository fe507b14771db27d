import { readFile } from 'node:fs/promises';
import type { ProxyConnectHeader } from '../../../lib/config/probers/http-client.js';

/** `proxy_connect_header` as CONNECT header lines, one per value. */
export function proxyConnectHeaders(h: ProxyConnectHeader | undefined): [string, string][] {
  if (!h) return [];
  return Object.entries(h).flatMap(([name, values]) => values.map((v): [string, string] => [name, v]));
}

/** `body_file`, read at each probe as blackbox does (the file may change between probes). */
export async function readBodyFile(file: string): Promise<Buffer> {
  try {
    return await readFile(file);
  } catch (err) {
    throw new Error(`reading body_file ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
