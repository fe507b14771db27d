import { request } from 'undici';
import { sampleValue } from './exposition.js';

/**
 * One probe through an exporter before measuring it: a benchmark of failing probes would
 * measure the failure path. Returns why it failed (from the exporter's debug output) or undefined.
 */
export async function preflight(exporterUrl: string, path: string): Promise<string | undefined> {
  try {
    const res = await request(`${exporterUrl}${path}`, { headersTimeout: 15_000, bodyTimeout: 15_000 });
    const body = await res.body.text();
    if (res.statusCode !== 200) return `HTTP ${res.statusCode}: ${body.trim().slice(0, 300)}`;
    if (sampleValue(body, 'probe_success') === 1) return undefined;
    const dbg = await request(`${exporterUrl}${path}&debug=true`, { headersTimeout: 15_000, bodyTimeout: 15_000 });
    const text = await dbg.body.text();
    const lines = text.split('\n').filter((l) => /level=error|reason=/.test(l));
    return `probe_success 0: ${(lines.slice(0, 3).join(' | ') || text.slice(0, 300)).trim()}`;
  } catch (err) {
    return (err as Error).message;
  }
}
