import { PulseError } from '../lib/errors.js';
import type { Module } from '../lib/config/module.js';

/** A Host header value: a name or address, an optional port; nothing that could end a header line. */
const HOSTNAME = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+)(:\d{1,5})?$/;

/**
 * blackbox 0.25+'s `hostname` URL parameter of /probe: for http modules, the Host header (and so
 * the TLS server name) of the request, refused when the module sets a different Host header; for
 * tcp modules, tls_config.server_name unless the module sets one. Other probers ignore it, as
 * blackbox does. Returns the module to probe with; the configured one is never changed.
 */
export function withHostname(module: Module, hostname: string | undefined): Module {
  if (hostname === undefined || hostname === '') return module;
  if (module.prober !== 'http' && module.prober !== 'tcp') return module;
  if (!HOSTNAME.test(hostname)) throw new PulseError('PULSE_BAD_REQUEST', `hostname "${hostname.slice(0, 100)}" is not a host name or address`);
  if (module.prober === 'http' && module.http) {
    const headers = { ...module.http.headers };
    for (const [name, value] of Object.entries(headers)) {
      if (name.toLowerCase() === 'host' && value !== hostname) {
        throw new PulseError(
          'PULSE_BAD_REQUEST',
          `host header defined both in module configuration (${value}) and with URL-parameter 'hostname' (${hostname})`,
        );
      }
      if (name.toLowerCase() === 'host') delete headers[name];
    }
    return { ...module, http: { ...module.http, headers: { ...headers, Host: hostname } } };
  }
  if (module.prober === 'tcp' && module.tcp) {
    if (module.tcp.tls_config?.server_name) return module;
    return { ...module, tcp: { ...module.tcp, tls_config: { ...module.tcp.tls_config, server_name: hostname } } };
  }
  return module;
}
