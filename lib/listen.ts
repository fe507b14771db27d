/** Parses `HOST:PORT`, `[v6]:PORT` or `:PORT` for a listener. */
export function parseListen(addr: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):([0-9]{1,5})$/.exec(addr);
  if (!m) throw new Error(`invalid listen address "${addr}" (expected HOST:PORT)`);
  const port = Number(m[3]);
  if (port > 65535) throw new Error(`invalid listen address "${addr}": port out of range`);
  const host = m[1] ?? (m[2] || '0.0.0.0');
  return { host, port };
}

export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}
