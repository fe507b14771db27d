import { createServer } from 'node:net';

// Ports that the kernel hands out for listen(0) and outgoing connections (Linux's default
// ip_local_port_range is 32768-60999). A port picked there can be taken by another test's
// socket between our check and the child program's bind; below that range only another
// freePort() caller could take it, and each draws at random.
const LOW = 20_000;
const HIGH = 32_000;

function tryListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => resolve(false));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(true)));
  });
}

/** A port that was free on 127.0.0.1 a moment ago, for a program that must be told its port (benchmarks and tests). */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = LOW + Math.floor(Math.random() * (HIGH - LOW));
    if (await tryListen(port)) return port;
  }
  throw new Error(`no free 127.0.0.1 port found in ${LOW}-${HIGH} after 50 tries`);
}
