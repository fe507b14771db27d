/**
 * The policy table: one probe per row, run inside a network namespace that has only loopback
 * (netns-runner.ts), so a wrong answer here could not have reached anything real either.
 * `{HTTP}` and `{TCP}` are the ports of the servers the runner starts on 127.0.0.1.
 */
export interface PolicyCase {
  name: string;
  prober: 'http' | 'tcp' | 'dns' | 'icmp' | 'mtr';
  target: string;
  options?: Record<string, unknown>;
  policy?: Record<string, unknown>;
  /** 'ok', or a piece of the failure reason. */
  expect: string;
  /** http: the address the first hop must have connected to. */
  connectedTo?: string;
}

const DENIED = 'target not allowed by policy';

export const POLICY_CASES: PolicyCase[] = [
  { name: 'http allowed', prober: 'http', target: 'http://127.0.0.1:{HTTP}/', expect: 'ok' },
  { name: 'http metadata literal', prober: 'http', target: 'http://169.254.169.254/latest/meta-data/', expect: `${DENIED}: 169.254.169.254 is link-local` },
  { name: 'http metadata in hex', prober: 'http', target: 'http://0xA9FEA9FE/', expect: DENIED },
  { name: 'http metadata in decimal', prober: 'http', target: 'http://2852039166/', expect: DENIED },
  { name: 'http IPv4-mapped IPv6', prober: 'http', target: 'http://[::ffff:169.254.169.254]/', expect: DENIED },
  { name: 'http EC2 IPv6 metadata', prober: 'http', target: 'http://[fd00:ec2::254]/', expect: DENIED },
  { name: 'http name resolving to metadata', prober: 'http', target: 'http://meta.pulse.test/', expect: '169.254.169.254 is link-local, cloud metadata or "this host", denied unless target_policy.allow_cidrs lists it (meta.pulse.test resolves to it)' },
  { name: 'http redirect to metadata', prober: 'http', target: 'http://127.0.0.1:{HTTP}/to-meta', expect: DENIED },
  { name: 'http proxy at a denied address', prober: 'http', target: 'http://127.0.0.1:{HTTP}/', options: { proxy_url: 'http://169.254.169.254:3128' }, expect: DENIED },
  { name: 'http rebinding name: resolved once, the checked address connected', prober: 'http', target: 'http://rebind.pulse.test:{HTTP}/', expect: 'ok', connectedTo: '127.0.0.1:{HTTP}' },
  { name: 'http the exporter\'s own port', prober: 'http', target: 'http://127.0.0.1:9115/metrics', expect: "this agent's own" },
  // Allowed on purpose: the probe goes ahead (and finds nothing listening there in the namespace).
  { name: 'tcp own port allowed on purpose', prober: 'tcp', target: '127.0.0.1:9115', policy: { allow_ports: [9115] }, expect: 'refused' },
  { name: 'http deny_cidrs', prober: 'http', target: 'http://127.0.0.1:{HTTP}/', policy: { deny_cidrs: ['127.0.0.0/8'] }, expect: 'in target_policy.deny_cidrs' },
  { name: 'http allow_names', prober: 'http', target: 'http://ok.pulse.test:{HTTP}/', policy: { allow_names: ['*.example.org'] }, expect: 'not in target_policy.allow_names' },
  { name: 'tcp allowed', prober: 'tcp', target: '127.0.0.1:{TCP}', expect: 'ok' },
  { name: 'tcp metadata', prober: 'tcp', target: '169.254.169.254:80', expect: DENIED },
  { name: 'tcp hub port through IPv4-mapped loopback', prober: 'tcp', target: '[::ffff:127.0.0.1]:7777', expect: "this agent's own" },
  { name: 'tcp deny_ports (redis)', prober: 'tcp', target: '127.0.0.1:6379', policy: { deny_ports: [6379] }, expect: 'port 6379 is in target_policy.deny_ports' },
  { name: 'tcp name resolving to metadata', prober: 'tcp', target: 'meta.pulse.test:80', expect: '169.254.169.254 is link-local, cloud metadata or "this host", denied unless target_policy.allow_cidrs lists it (meta.pulse.test resolves to it)' },
  { name: 'dns allowed resolver', prober: 'dns', target: '127.0.0.1:53', options: { query_name: 'ok.pulse.test', query_type: 'A' }, expect: 'ok' },
  { name: 'dns resolver at metadata', prober: 'dns', target: '169.254.169.254:53', options: { query_name: 'ok.pulse.test', query_type: 'A' }, expect: DENIED },
  { name: 'dns resolver named to metadata', prober: 'dns', target: 'meta.pulse.test:53', options: { query_name: 'ok.pulse.test', query_type: 'A' }, expect: DENIED },
  { name: 'icmp allowed', prober: 'icmp', target: '127.0.0.1', expect: 'ok' },
  { name: 'icmp metadata', prober: 'icmp', target: '169.254.169.254', expect: DENIED },
  { name: 'icmp link-local IPv6', prober: 'icmp', target: 'fe80::1', options: { preferred_ip_protocol: 'ip6' }, expect: DENIED },
  { name: 'mtr allowed', prober: 'mtr', target: '127.0.0.1', options: { packets: 1, interval: '0.1s' }, expect: 'ok' },
  { name: 'mtr metadata by name', prober: 'mtr', target: 'meta.pulse.test', options: { packets: 1, interval: '0.1s' }, expect: DENIED },
];
