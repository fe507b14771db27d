/**
 * The modules both exporters run, written once per exporter in its own format. The blackbox
 * and Pulse modules are kept equivalent: same prober, same timeout, IPv4 targets given as
 * literals so no resolver is involved on either side.
 */
export const BENCH_MODULES = {
  http_2xx: 'http',
  tcp_connect: 'tcp',
  // Issue 18: the RE2 engine must not cost throughput.
  http_body_regex: 'http',
} as const;

/** The body regex both exporters check (the target answers "ok"). */
const BODY_REGEX = "'(?i)^\\s*ok\\b'";
export type BenchModule = keyof typeof BENCH_MODULES;

export const MODULE_TIMEOUT = '5s';

export function blackboxConfig(): string {
  return [
    'modules:',
    '  http_2xx:',
    '    prober: http',
    `    timeout: ${MODULE_TIMEOUT}`,
    '    http:',
    '      preferred_ip_protocol: ip4',
    '  tcp_connect:',
    '    prober: tcp',
    `    timeout: ${MODULE_TIMEOUT}`,
    '    tcp:',
    '      preferred_ip_protocol: ip4',
    '  http_body_regex:',
    '    prober: http',
    `    timeout: ${MODULE_TIMEOUT}`,
    '    http:',
    '      preferred_ip_protocol: ip4',
    `      fail_if_body_not_matches_regexp: [${BODY_REGEX}]`,
    '',
  ].join('\n');
}

/**
 * Pulse's config: only what it needs; its http/tcp sections take their defaults, which match
 * blackbox's (the targets are IP literals, so preferred_ip_protocol does not come into play).
 */
export function pulseConfig(): string {
  const lines = [
    'modules:',
    '  http_2xx:',
    '    prober: http',
    `    timeout: ${MODULE_TIMEOUT}`,
    '  tcp_connect:',
    '    prober: tcp',
    `    timeout: ${MODULE_TIMEOUT}`,
    '  http_body_regex:',
    '    prober: http',
    `    timeout: ${MODULE_TIMEOUT}`,
    '    http:',
    `      fail_if_body_not_matches_regexp: [${BODY_REGEX}]`,
  ];
  return `${lines.join('\n')}\n`;
}

export function nginxConfig(dir: string, port: number, workers: number): string {
  return `worker_processes ${workers};
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path ${dir}/nginx-body;
  proxy_temp_path ${dir}/nginx-proxy;
  fastcgi_temp_path ${dir}/nginx-fastcgi;
  uwsgi_temp_path ${dir}/nginx-uwsgi;
  scgi_temp_path ${dir}/nginx-scgi;
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / { default_type text/plain; return 200 "ok\\n"; }
  }
}
`;
}

/** The /probe path both exporters are scraped at. */
export function probePath(module: string, target: string): string {
  return `/probe?module=${encodeURIComponent(module)}&target=${encodeURIComponent(target)}`;
}
