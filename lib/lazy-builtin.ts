import { createRequire } from 'node:module';

const requireBuiltin = createRequire(import.meta.url);

/**
 * One of Node's own modules, loaded on the first call instead of at start. For node:tls and
 * node:https (and node:crypto under them): an exporter that serves plain HTTP and probes no TLS
 * target never needs them, and loading them costs every agent about 1.5 MB resident and a few ms
 * of start-up (docs/performance.md). An `import` of them would also make Node read every export
 * as it builds the module's namespace (node:tls then makes all its root certificates strings).
 * node:zlib is needed only for a compressed answer body.
 */
export function lazyBuiltin<T>(name: 'node:tls' | 'node:https' | 'node:zlib'): () => T {
  let mod: T | undefined;
  return () => (mod ??= requireBuiltin(name) as T);
}
