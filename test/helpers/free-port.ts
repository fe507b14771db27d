// One picker for benchmarks and tests: see bench/free-port.ts for why it avoids the ephemeral range.
export { freePort } from '../../bench/free-port.js';
