import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createCa, issueCertificate, type PemPair } from '../lib/pki.js';

export interface FleetPki {
  caFile: string;
  hub: { certFile: string; keyFile: string };
  /** A `client` certificate, as Prometheus has for scraping (the hub's relay needs one). */
  client?: { certFile: string; keyFile: string };
  /** Agent name → its certificate and key files. */
  agents: Array<{ name: string; certFile: string; keyFile: string }>;
}

export function agentName(i: number): string {
  return `bench-agent-${String(i).padStart(5, '0')}`;
}

/**
 * A CA, the hub's certificate and one certificate per simulated agent (ECDSA P-256, from
 * lib/pki), written once per run into `dir`. Issued a few at a time: each is a key generation
 * and a signature on libuv's thread pool.
 */
export async function makeFleetPki(dir: string, agents: number): Promise<FleetPki> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = await createCa({ name: 'Pulse bench CA', days: 2 });
  const caFile = join(dir, 'ca.crt');
  await writeFile(caFile, ca.cert);
  const write = async (name: string, pair: PemPair) => {
    const certFile = join(dir, `${name}.crt`);
    const keyFile = join(dir, `${name}.key`);
    await writeFile(certFile, pair.cert);
    await writeFile(keyFile, pair.key, { mode: 0o600 });
    return { certFile, keyFile };
  };
  const hub = await write('hub', await issueCertificate(ca, { kind: 'server', name: 'hub', hosts: ['127.0.0.1', 'localhost'], days: 2 }));
  const client = await write('client', await issueCertificate(ca, { kind: 'client', name: 'bench-prometheus', days: 2 }));
  const out: FleetPki['agents'] = [];
  const BATCH = 16;
  for (let i = 0; i < agents; i += BATCH) {
    const batch = Array.from({ length: Math.min(BATCH, agents - i) }, (_, j) => agentName(i + j));
    const issued = await Promise.all(
      batch.map(async (name) => ({ name, ...(await write(name, await issueCertificate(ca, { kind: 'agent', name, hosts: ['127.0.0.1'], days: 2 }))) })),
    );
    out.push(...issued);
  }
  return { caFile, hub, client, agents: out };
}
