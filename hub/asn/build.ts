import type { HubAsnSettings } from '../../lib/config/hub-asn.js';
import { parseDuration } from '../../lib/duration.js';
import { AsnDb } from './asndb.js';
import { type AsnDbStore, FileAsnDbStore } from './asndb-store.js';
import { CymruSource } from './cymru-source.js';
import { MmdbSource } from './mmdb-source.js';
import { LazyOfflineIndex } from './offline.js';
import { OfflineSource } from './offline-source.js';
import { AsnService } from './service.js';
import type { AsnSource } from './types.js';

/** The sources `hub.asn` asks for, in summary order; nothing is loaded or asked yet. */
export function asnSources(settings: HubAsnSettings | undefined): AsnSource[] {
  const s = settings ?? { offline: true, mmdb: [] };
  const sources: AsnSource[] = s.mmdb.map((m) => new MmdbSource(m.name, m.file));
  if (s.offline) sources.push(new OfflineSource(new LazyOfflineIndex(s.offline_dir)));
  if (s.cymru) sources.push(new CymruSource({ resolver: s.cymru.resolver, timeoutMs: parseDuration(s.cymru.timeout) * 1000 }));
  return sources;
}

/** The hub's ASN service with the operator's asndb loaded from `store` (default: data_dir/asndb.json). */
export async function buildAsnService(settings: HubAsnSettings | undefined, dataDir: string, store?: AsnDbStore): Promise<AsnService> {
  const asndb = new AsnDb(store ?? new FileAsnDbStore(dataDir));
  await asndb.init();
  return new AsnService(asnSources(settings), asndb);
}
