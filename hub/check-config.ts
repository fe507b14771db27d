import { accessSync, constants } from 'node:fs';
import type { ResolvedConfig } from '../lib/config/schema.js';
import { parseListen } from '../lib/listen.js';

/**
 * What `pulse-hub --check-config` finds wrong with a config that parsed: the problems that would
 * otherwise only show when the hub starts (no agent TLS, unreadable certificate files, a listen
 * address that is not HOST:PORT). Empty when the hub can start with it.
 */
export function hubConfigProblems(config: ResolvedConfig, readable: (file: string) => boolean = isReadable): string[] {
  const hub = config.hub;
  const problems: string[] = [];
  if (!hub.agent_tls) problems.push('hub.agent_tls {cert_file, key_file, ca_file} is required: agents talk to the hub over mutual TLS');
  const files: Array<[string, string | undefined]> = [
    ['hub.agent_tls.cert_file', hub.agent_tls?.cert_file],
    ['hub.agent_tls.key_file', hub.agent_tls?.key_file],
    ['hub.agent_tls.ca_file', hub.agent_tls?.ca_file],
    ['hub.tls.cert_file', hub.tls?.cert_file],
    ['hub.tls.key_file', hub.tls?.key_file],
    ['hub.tls.client_ca_file', hub.tls?.client_ca_file],
  ];
  for (const [key, file] of files) {
    if (file !== undefined && !readable(file)) problems.push(`${key}: cannot read ${file}`);
  }
  for (const key of ['listen', 'agent_listen'] as const) {
    try {
      parseListen(hub[key]);
    } catch (err) {
      problems.push(`hub.${key}: ${(err as Error).message}`);
    }
  }
  return problems;
}

/** The one-line summary of a config the hub can start with. */
export function hubConfigSummary(file: string, config: ResolvedConfig): string {
  const jobs = config.targets.length;
  return `${file}: OK (users on ${config.hub.listen}, agents on ${config.hub.agent_listen}, ${jobs} probe job${jobs === 1 ? '' : 's'})`;
}

function isReadable(file: string): boolean {
  try {
    accessSync(file, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}
