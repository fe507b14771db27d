import { expect, test } from 'vitest';
import { ConfigError } from '../../lib/config/errors.js';
import { loadConfigFile, parseConfig } from '../../lib/config/load.js';

test('config/hub.example.yml loads, with defaults applied', async () => {
  const c = await loadConfigFile('config/hub.example.yml');
  expect(c.hub.agent_tls?.ca_file).toBe('/etc/pulse/certs/ca.crt');
  expect(c.hub.measurement_ttl).toBe('1h');
  expect(c.targets.map((t) => [t.name, t.agents, t.labels])).toEqual([
    ['shop', {}, { team: 'web' }],
    ['edge_ping', { provider: 'acme' }, {}],
  ]);
  expect(c.exporter.hub?.heartbeat_interval).toBe('15s');
});

test('hub defaults when the section is absent', () => {
  const c = parseConfig('modules: {}\n');
  expect(c.hub).toEqual({
    listen: '0.0.0.0:7778',
    agent_listen: '0.0.0.0:7777',
    data_dir: 'data',
    agent_inactive_after: '45s',
    measurement_ttl: '1h',
    max_measurements: 1000,
    fanout_concurrency: 1024,
    max_running_measurements: 32,
    agent_forget_after: '7d',
    tunnel_keepalive: '10s',
    retention: '7d',
  });
  expect(c.targets).toEqual([]);
});

test.each([
  ['an unknown hub key', 'hub:\n  listen_on: x\n', /listen_on/],
  ['a bad duration', 'hub:\n  measurement_ttl: forever\n', /measurement_ttl/],
  ['an unknown store kind', 'hub:\n  store: {kind: sqlite}\n', /hub\.store\.kind/],
  ['a store url that is not Redis', 'hub:\n  store: {kind: redis, url: "http://x"}\n', /hub\.store\.url/],
  ['a bad retention', 'hub:\n  retention: a-week\n', /retention/],
  ['a job without targets', 'targets:\n  - {name: j, module: m, targets: []}\n', /targets/],
  ['a job with a bad name', 'targets:\n  - {name: "a b", module: m, targets: [x]}\n', /name/],
  ['a bad selector label name', 'targets:\n  - {name: j, module: m, targets: [x], agents: {bad-key: x}}\n', /bad-key/],
  ['a non-string selector value', 'targets:\n  - {name: j, module: m, targets: [x], agents: {site: [1]}}\n', /agents/],
])('%s is refused', (_name, yaml, message) => {
  expect(() => parseConfig(yaml)).toThrow(ConfigError);
  expect(() => parseConfig(yaml)).toThrow(message);
});
