import type { AddressInfo } from 'node:net';
import type { FastifyBaseLogger } from 'fastify';
import type { Exporter } from './server.js';

/** PLACEHOLDER until the hub lands: registration and heartbeats with the hub (exporter.hub). */
export function startHubClient(
  exporter: Exporter,
  _address: AddressInfo | string | null,
  log: FastifyBaseLogger,
): { stop(): void } | undefined {
  if (exporter.state().config.exporter.hub) log.warn('exporter.hub is set but hub registration is not implemented yet');
  return undefined;
}
