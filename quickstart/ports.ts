import { createServer } from 'node:net';

export interface QuickstartPorts {
  hub: number;
  agents: number;
  exporter: number;
}

/** The port itself when it can be bound on `host`, else a free one the system picks (also for 0). */
export async function freePort(host: string, preferred: number): Promise<number> {
  const bind = (port: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer();
      s.once('error', reject);
      s.listen({ host, port, exclusive: true }, () => {
        const got = (s.address() as { port: number }).port;
        s.close(() => resolve(got));
      });
    });
  if (preferred !== 0) {
    try {
      return await bind(preferred);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw err;
    }
  }
  return bind(0);
}

/**
 * Ports decided before anything is written or started, so the config file, the exporter's hub URL,
 * the targets and the listeners all name the same ones. Distinct even when the system hands out
 * the same free port twice.
 */
export async function choosePorts(host: string, wanted: QuickstartPorts): Promise<QuickstartPorts> {
  const taken = new Set<number>();
  const pick = async (p: number) => {
    let port = await freePort(host, p);
    while (taken.has(port)) port = await freePort(host, 0);
    taken.add(port);
    return port;
  };
  return { hub: await pick(wanted.hub), agents: await pick(wanted.agents), exporter: await pick(wanted.exporter) };
}
