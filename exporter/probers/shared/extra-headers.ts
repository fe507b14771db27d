import { readFile } from 'node:fs/promises';
import type { HttpHeaders } from '../../../lib/config/probers/http-client.js';

/**
 * `http_headers` as request header lines: for each name, its values, then its secrets, then the
 * contents of its files (read at each probe and trimmed, as Prometheus common does, so a rotated
 * key is picked up). A promise only when there are files to read.
 */
export function httpHeaderLines(headers: HttpHeaders | undefined): [string, string][] | Promise<[string, string][]> {
  if (!headers) return [];
  const hasFiles = Object.values(headers).some((h) => (h.files ?? []).length > 0);
  return hasFiles ? withFiles(headers) : inline(headers);
}

function inline(headers: HttpHeaders): [string, string][] {
  const out: [string, string][] = [];
  for (const [name, h] of Object.entries(headers)) {
    for (const v of h.values ?? []) out.push([name, v]);
    for (const v of h.secrets ?? []) out.push([name, v]);
  }
  return out;
}

async function withFiles(headers: HttpHeaders): Promise<[string, string][]> {
  const out = inline(headers);
  for (const [name, h] of Object.entries(headers)) {
    for (const file of h.files ?? []) {
      try {
        out.push([name, (await readFile(file, 'utf8')).trim()]);
      } catch (err) {
        throw new Error(`reading http_headers file for ${name}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }
  return out;
}
