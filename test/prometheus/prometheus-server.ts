import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePort } from '../helpers/free-port.js';

export interface Sample {
  metric: Record<string, string>;
  value: [number, string];
}

export interface PrometheusServer {
  url: string;
  /** GET /api/v1/<path>: the `data` of a successful answer; throws with Prometheus's error otherwise. */
  api<T>(path: string, params?: Record<string, string>): Promise<T>;
  /** An instant query (vector or scalar results as samples). */
  query(expr: string): Promise<Sample[]>;
  output(): string;
  stop(): Promise<void>;
}

/** The Debian package's prometheus on 127.0.0.1, with its own throwaway TSDB. */
export async function startPrometheus(configFile: string): Promise<PrometheusServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'pulse-tsdb-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const proc: ResultPromise<{ reject: false; all: true; buffer: false }> = execa(
    'prometheus',
    [`--config.file=${configFile}`, `--storage.tsdb.path=${dataDir}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { reject: false, all: true, buffer: false },
  );
  let output = '';
  let exited = false;
  proc.all?.on('data', (c: Buffer) => {
    output += c.toString();
  });
  const done = proc.then(() => {
    exited = true;
  });

  const stop = async () => {
    if (!exited) proc.kill('SIGTERM');
    await done;
    await rm(dataDir, { recursive: true, force: true });
  };

  const until = Date.now() + 30_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`prometheus exited before it was ready:\n${output}`);
    }
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > until) {
      await stop();
      throw new Error(`prometheus not ready within 30s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  async function api<T>(path: string, params: Record<string, string> = {}): Promise<T> {
    const res = await fetch(`${url}/api/v1/${path}?${new URLSearchParams(params)}`);
    const body = (await res.json()) as { status: string; data: T; error?: string; errorType?: string };
    if (body.status !== 'success') throw new Error(`${path}: ${body.errorType}: ${body.error}`);
    return body.data;
  }

  return {
    url,
    api,
    async query(expr) {
      const data = await api<{ resultType: string; result: unknown }>('query', { query: expr });
      if (data.resultType === 'scalar') return [{ metric: {}, value: data.result as [number, string] }];
      return data.result as Sample[];
    },
    output: () => output,
    stop,
  };
}
