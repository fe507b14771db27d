/**
 * Child-process entry of the load generator: `node dist/bench/loadgen.js '<LoadOptions JSON>'`.
 * It runs in its own process so that generating load does not steal the event loop of whatever
 * it measures; the result goes back to the parent over the IPC channel.
 */
import { type LoadOptions, runLoad } from './loadgen-core.js';

async function main(): Promise<void> {
  const opts = JSON.parse(process.argv[2] ?? '{}') as LoadOptions;
  const result = await runLoad(opts);
  await new Promise<void>((resolve, reject) => {
    if (!process.send) {
      process.stdout.write(`${JSON.stringify(result)}\n`, () => resolve());
      return;
    }
    process.send(result, (err: Error | null) => (err ? reject(err) : resolve()));
  });
  process.disconnect?.();
}

main().catch((err: unknown) => {
  process.stderr.write(`loadgen: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
