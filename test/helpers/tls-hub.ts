import { resolveConfig } from '../../lib/config/load.js';
import { buildHub, type Hub } from '../../hub/server.js';
import { MemoryAgentStore } from '../../hub/store/memory.js';
import { createTestPki, type IssuedCert, type TestPki } from './tls.js';

export interface TlsUserHub {
  pki: TestPki;
  hub: Hub;
  /** A client certificate the hub's users' port accepts. */
  user: IssuedCert;
  /** https://HOST:PORT of the users' port. */
  url: string;
  close(): Promise<void>;
}

/** A hub whose users' port is HTTPS with its own CA and requires client certificates. */
export async function startTlsUserHub(): Promise<TlsUserHub> {
  const pki = await createTestPki();
  const cert = await pki.issue('hub');
  const user = await pki.issue('alice', { usage: 'client' });
  const config = resolveConfig({
    hub: {
      listen: '127.0.0.1:0',
      agent_listen: '127.0.0.1:0',
      tls: { cert_file: cert.certFile, key_file: cert.keyFile, client_ca_file: pki.caFile },
      agent_tls: { cert_file: cert.certFile, key_file: cert.keyFile, ca_file: pki.caFile },
    },
  });
  const hub = await buildHub({ config, store: new MemoryAgentStore() });
  const url = `https://${(await hub.listen()).user}`;
  return {
    pki,
    hub,
    user,
    url,
    close: async () => {
      await hub.close();
      await pki.cleanup();
    },
  };
}
