// Runs inside a test network namespace (ip netns exec NS node ns-services.mjs SPEC_JSON): the
// targets as that agent's network has them, and a relay so the agent reaches the hub.
//   forward: {port, to: "10.X.0.1:P"}  127.0.0.1:port here → the hub's agents' port via the veth
//   http:    {port, delayMs, status}     a web server on 127.0.0.1:port that answers late
//   dns:     {port, name, addrs}         a UDP resolver on 127.0.0.1:port with its own answer
// Prints "ready" once everything listens; exits when stdin closes (the test ended).
import { createSocket } from 'node:dgram';
import { createServer as createHttpServer } from 'node:http';
import { connect, createServer } from 'node:net';
import dnsPacket from 'dns-packet';

const spec = JSON.parse(process.argv[2] ?? '{}');
const waits = [];
const listening = (server, port) =>
  new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });

if (spec.forward) {
  const [host, port] = [spec.forward.to.slice(0, spec.forward.to.lastIndexOf(':')), Number(spec.forward.to.slice(spec.forward.to.lastIndexOf(':') + 1))];
  const relay = createServer((inbound) => {
    const out = connect(port, host);
    inbound.pipe(out).pipe(inbound);
    const end = () => {
      inbound.destroy();
      out.destroy();
    };
    inbound.on('error', end);
    out.on('error', end);
  });
  waits.push(listening(relay, spec.forward.port));
}

if (spec.http) {
  const web = createHttpServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(spec.http.status, { 'content-type': 'text/plain' });
      res.end('from behind the namespace\n');
    }, spec.http.delayMs);
  });
  waits.push(listening(web, spec.http.port));
}

if (spec.dns) {
  const sock = createSocket('udp4');
  sock.on('message', (msg, rinfo) => {
    let q;
    try {
      q = dnsPacket.decode(msg);
    } catch {
      return;
    }
    const question = q.questions?.[0];
    if (!question) return;
    const known = question.name.toLowerCase() === spec.dns.name;
    const answers = known && question.type === 'A' ? spec.dns.addrs.map((data) => ({ type: 'A', name: question.name, ttl: 300, class: 'IN', data })) : [];
    const reply = dnsPacket.encode({ type: 'response', id: q.id, flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (known ? 0 : 3), questions: q.questions, answers });
    sock.send(reply, rinfo.port, rinfo.address);
  });
  waits.push(new Promise((resolve) => sock.bind(spec.dns.port, '127.0.0.1', resolve)));
}

await Promise.all(waits);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));
process.stdin.on('close', () => process.exit(0));
