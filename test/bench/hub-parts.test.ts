import Value from 'typebox/value';
import { describe, expect, it } from 'vitest';
import { answerFor, type CachedAnswer, simulatedAnswer } from '../../bench/agent-sim-core.js';
import { agentName } from '../../bench/fleet-pki.js';
import { hubConfig } from '../../bench/hub-service.js';
import { parseConfig } from '../../lib/config/load.js';
import { PROTOCOL_VERSION, RunResponse } from '../../lib/wire.js';

const pki = {
  caFile: '/tmp/x/ca.crt',
  hub: { certFile: '/tmp/x/hub.crt', keyFile: '/tmp/x/hub.key' },
  agents: [],
};

describe('the hub benchmarks’ parts', () => {
  it('simulated agents answer what an exporter answers (lib/wire RunResponse)', () => {
    const answer = simulatedAnswer({ protocol: PROTOCOL_VERSION, type: 'tcp', target: '127.0.0.1:9', timeout_seconds: 30 }, 200);
    expect(Value.Check(RunResponse, answer)).toBe(true);
    expect(answer).toMatchObject({ success: true, target: '127.0.0.1:9', duration_seconds: 0.2, timeout_seconds: 30 });
  });

  it('a cached simulated answer is the one made afresh, with each call’s own timeout_seconds', () => {
    const answers = new Map<string, CachedAnswer>();
    const body = (t: number) => JSON.stringify({ protocol: PROTOCOL_VERSION, type: 'tcp', target: '127.0.0.1:9', options: {}, timeout_seconds: t });
    const fresh = (t: number) => JSON.stringify(simulatedAnswer(JSON.parse(body(t)), 200));
    expect(answerFor(body(29.998), 200, answers)).toBe(fresh(29.998));
    expect(answers.size).toBe(1);
    for (const t of [29.9971, 0.001, 30]) expect(answerFor(body(t), 200, answers)).toBe(fresh(t));
    expect(answers.size).toBe(1);
  });

  it('the hub config loads with Pulse’s own schema, loopback listeners and the probe jobs for /sd', () => {
    const text = hubConfig({
      pki,
      dataDir: '/tmp/x/data',
      userPort: 17778,
      agentPort: 17777,
      jobs: [
        { name: 'web', module: 'http_2xx', targets: ['http://127.0.0.1:8000/health'] },
        { name: 'tcp', module: 'tcp_connect', targets: ['127.0.0.1:8001'] },
      ],
    });
    const config = parseConfig(text);
    expect(config.hub).toMatchObject({ listen: '127.0.0.1:17778', agent_listen: '127.0.0.1:17777', data_dir: '/tmp/x/data' });
    expect(config.hub.agent_tls).toEqual({ cert_file: pki.hub.certFile, key_file: pki.hub.keyFile, ca_file: pki.caFile });
    expect(config.targets.map((j) => [j.name, j.module, j.targets])).toEqual([
      ['web', 'http_2xx', ['http://127.0.0.1:8000/health']],
      ['tcp', 'tcp_connect', ['127.0.0.1:8001']],
    ]);
  });

  it('with userTls the users’ port is HTTPS asking for client certificates from the fleet’s CA (the relay bench)', () => {
    const config = parseConfig(hubConfig({ pki, dataDir: '/tmp/x/data', userPort: 17778, agentPort: 17777, userTls: true }));
    expect(config.hub.tls).toMatchObject({ cert_file: pki.hub.certFile, key_file: pki.hub.keyFile, client_ca_file: pki.caFile });
    expect(parseConfig(hubConfig({ pki, dataDir: '/tmp/x/data', userPort: 17778, agentPort: 17777 })).hub.tls).toBeUndefined();
  });

  it('names agents so that they sort in registration order', () => {
    expect(agentName(7)).toBe('bench-agent-00007');
    expect([agentName(10), agentName(9)].sort()).toEqual([agentName(9), agentName(10)]);
  });
});
