import { lazyBuiltin } from '../../../lib/lazy-builtin.js';

/** node:tls for the probers, loaded with their first TLS connection (see lib/lazy-builtin.ts). */
export const nodeTls = lazyBuiltin<typeof import('node:tls')>('node:tls');
