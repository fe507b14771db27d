import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO } from './dashboards.js';

export const SHIPPED_CONFIG = join(REPO, 'prometheus/prometheus.yml');
export const SHIPPED_RULES = join(REPO, 'prometheus/rules/pulse.rules.yml');

export interface Fill {
  /** host:port of the hub's users' listener. */
  hub: string;
  caFile: string;
  certFile: string;
  keyFile: string;
  /** A file holding a read token for the hub (authorization.credentials_file). */
  tokenFile: string;
  /** Absolute rule file paths (the shipped ones are relative to the config file). */
  ruleFiles: string[];
  /** Test speed: scrape, evaluation and discovery refresh interval (Prometheus duration). */
  interval?: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Visits every value of the shipped config that a user is told to change ("CHANGE" lines):
 * hub addresses, TLS file paths, rule file paths, and (for tests only) the intervals.
 */
function rewrite(config: Obj, fix: { hubUrl(url: string): string; hubTarget(t: string): string; tls(key: 'ca_file' | 'cert_file' | 'key_file'): string; token(): string; rules(files: string[]): string[]; interval(key: string, v: string): string }): Obj {
  const out = structuredClone(config);
  if (isObj(out['global'])) {
    for (const k of ['scrape_interval', 'scrape_timeout', 'evaluation_interval']) {
      const v = out['global'][k];
      if (typeof v === 'string') out['global'][k] = fix.interval(k, v);
    }
  }
  if (Array.isArray(out['rule_files'])) out['rule_files'] = fix.rules(out['rule_files'] as string[]);
  const token = (holder: Obj) => {
    const auth = holder['authorization'];
    if (isObj(auth) && 'credentials_file' in auth) auth['credentials_file'] = fix.token();
  };
  for (const job of (out['scrape_configs'] as Obj[] | undefined) ?? []) {
    token(job);
    for (const sd of (job['http_sd_configs'] as Obj[] | undefined) ?? []) {
      token(sd);
      sd['url'] = fix.hubUrl(String(sd['url']));
      if (typeof sd['refresh_interval'] === 'string') sd['refresh_interval'] = fix.interval('refresh_interval', sd['refresh_interval']);
    }
    const tls = job['tls_config'];
    if (isObj(tls)) for (const k of ['ca_file', 'cert_file', 'key_file'] as const) if (k in tls) tls[k] = fix.tls(k);
    for (const sc of (job['static_configs'] as Obj[] | undefined) ?? []) {
      sc['targets'] = (sc['targets'] as string[]).map((t) => fix.hubTarget(t));
    }
  }
  return out;
}

/** The shipped prometheus.yml with this installation's addresses and paths filled in. */
export function fillConfig(shippedText: string, fill: Fill): string {
  const config = parse(shippedText) as Obj;
  const filled = rewrite(config, {
    hubUrl: (url) => {
      const u = new URL(url);
      return `${u.protocol}//${fill.hub}${u.pathname}${u.search}`;
    },
    hubTarget: () => fill.hub,
    tls: (k) => ({ ca_file: fill.caFile, cert_file: fill.certFile, key_file: fill.keyFile })[k],
    token: () => fill.tokenFile,
    rules: () => fill.ruleFiles,
    interval: (_k, v) => fill.interval ?? v,
  });
  return stringify(filled);
}

/** The config with every fillable value blanked: equal for the shipped and a filled config. */
export function skeleton(text: string): Obj {
  return rewrite(parse(text) as Obj, {
    hubUrl: (url) => new URL(url).pathname,
    hubTarget: () => '<hub>',
    tls: (k) => `<${k}>`,
    token: () => '<token>',
    rules: (files) => files.map(() => '<rules>'),
    interval: (k) => `<${k}>`,
  });
}
