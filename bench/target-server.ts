/**
 * Child-process entry of a local HTTP target: `node dist/bench/target-server.js PORT DELAY_MS`.
 * Answers every request with 200 after DELAY_MS (0: at once). In its own process so that its
 * timers do not share an event loop with an exporter being measured.
 */
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const delayMs = Number(process.argv[3] ?? 0);
const body = 'ok\n';

const server = createServer((req, res) => {
  const answer = () => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  };
  // Drain the request first so the delay counts from a fully received request, as blackbox's
  // processing phase (request written → first response byte) assumes.
  req.resume();
  req.once('end', () => {
    if (delayMs > 0) setTimeout(answer, delayMs);
    else answer();
  });
});
server.keepAliveTimeout = 5_000;
server.maxConnections = 20_000;
server.listen(port, '127.0.0.1');
process.once('SIGTERM', () => process.exit(0));
