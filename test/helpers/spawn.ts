import { execa } from 'execa';

function spawn(script: string, args: string[], cwd?: string, env?: Record<string, string>, exec?: boolean) {
  // exec: run the file itself, as a user's shell does, so its #! line (and the flags on it) apply.
  return execa(exec ? script : 'node', exec ? args : [script, ...args], { reject: false, cwd, env, all: true, buffer: false });
}

export type PulseProcess = ReturnType<typeof spawn>;

/** Starts a Pulse binary from dist/ and resolves with the URL from its "Server listening at" log line. */
export async function startBinary(
  script: string,
  args: string[],
  opts: { cwd?: string; env?: Record<string, string>; match?: RegExp; readyMs?: number; exec?: boolean } = {},
): Promise<{ proc: PulseProcess; url: string; output: () => string }> {
  const proc = spawn(script, args, opts.cwd, opts.env, opts.exec);
  let output = '';
  const match = opts.match ?? /Server listening at (https?:\/\/[^"\s]+)/;
  const url = await new Promise<string>((resolve, reject) => {
    const readyMs = opts.readyMs ?? 20_000;
    const timer = setTimeout(() => reject(new Error(`no listening line within ${readyMs / 1000}s:\n${output}`)), readyMs);
    proc.all?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const m = match.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    proc.then((r) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${r.exitCode} before listening:\n${output}`));
    });
  });
  return { proc, url, output: () => output };
}
