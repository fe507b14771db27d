#!/usr/bin/env node
import { resolve } from 'node:path';
import { runQuickstart } from './run.js';

/** `npm start`: everything under ./data, so a fresh clone works with no setup. */
async function main(): Promise<void> {
  const dir = resolve(process.env.PULSE_QUICKSTART_DIR ?? 'data');
  const qs = await runQuickstart({ dir, logLevel: process.env.PULSE_LOG_LEVEL ?? 'warn' });
  process.stdout.write(`${qs.summary}\n`);
  const stop = () => {
    qs.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`pulse quickstart: ${(err as Error).message ?? String(err)}\n`);
  process.exit(1);
});
