import { PulseError } from '../lib/errors.js';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { Agent, type Dispatcher } from 'undici';
import { parseDuration } from '../lib/duration.js';
import type { Selector } from '../client/api.js';
import { parseSelector } from '../client/selector.js';
import { tokenDispatcher } from './token-dispatcher.js';
import type { Output } from './live.js';

export const DEFAULT_HUB = 'http://127.0.0.1:7778';

/** Exit statuses, as `pulse --help` documents them. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Where a command writes, and the environment it reads; the binary passes the process's own. */
export interface Io {
  stdout: Output;
  stderr: Output;
  env: Record<string, string | undefined>;
  readStdin(): Promise<string>;
}

export interface RawGlobals {
  hub?: string;
  agents?: string[];
  timeout?: string;
  json?: boolean;
  group?: boolean;
  color?: boolean;
  cacert?: string;
  cert?: string;
  key?: string;
  token?: string;
}

export interface Globals {
  hub: string;
  agents: Selector;
  timeout: number | undefined;
  json: boolean;
  /** --group / --no-group; undefined: group when the run has many rows (core/group.ts). */
  group: boolean | undefined;
  colour: boolean;
  tty: boolean;
  /** TLS towards an https hub with its own CA or that needs a client certificate; else undici's default. */
  dispatcher: Dispatcher | undefined;
}

/** A mistake in how pulse was called: exit 2 with the message. */
export class UsageError extends PulseError {
  constructor(message: string, options?: ErrorOptions) {
    super('PULSE_USAGE', message, options);
    this.name = 'UsageError';
  }
}

export function resolveGlobals(raw: RawGlobals, io: Io): Globals {
  const hub = raw.hub ?? io.env.PULSE_HUB ?? DEFAULT_HUB;
  if (!/^https?:\/\/[^/]+/.test(hub)) throw new UsageError(`--hub "${hub}" must be an http:// or https:// URL`);
  let agents: Selector;
  try {
    agents = parseSelector(raw.agents ?? []);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const tty = io.stdout.isTTY === true;
  return {
    hub,
    agents,
    timeout: raw.timeout === undefined ? undefined : parseTimeout(raw.timeout),
    json: raw.json === true,
    group: raw.group,
    colour: tty && raw.color !== false && io.env.NO_COLOR === undefined,
    tty,
    dispatcher: withToken(raw.token ?? io.env.PULSE_TOKEN, hubDispatcher(raw, io.env)),
  };
}

/**
 * --cacert, --cert and --key (env PULSE_CACERT, PULSE_CERT, PULSE_KEY): for a hub whose users'
 * port has its own CA (hub.tls) or requires client certificates (hub.tls.client_ca_file).
 */
export function hubDispatcher(raw: Pick<RawGlobals, 'cacert' | 'cert' | 'key'>, env: Record<string, string | undefined>): Dispatcher | undefined {
  const cacert = raw.cacert ?? env.PULSE_CACERT;
  const cert = raw.cert ?? env.PULSE_CERT;
  const key = raw.key ?? env.PULSE_KEY;
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together (env PULSE_CERT, PULSE_KEY)');
  if (cacert === undefined && cert === undefined) return undefined;
  const read = (option: string, file: string) => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new UsageError(`${option} ${file}: cannot read it (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  };
  return new Agent({
    connect: {
      ...(cacert === undefined ? {} : { ca: read('--cacert', cacert) }),
      ...(cert === undefined || key === undefined ? {} : { cert: read('--cert', cert), key: read('--key', key) }),
    },
  });
}

/** --token / PULSE_TOKEN: every call to the hub carries it as a bearer token. */
function withToken(token: string | undefined, base: Dispatcher | undefined): Dispatcher | undefined {
  if (token === undefined || token === '') return base;
  if (/[\s]/.test(token)) throw new UsageError('--token must be one word (as `pulse tokens create` printed it)');
  return tokenDispatcher(token, base);
}

/** Seconds: a plain number ("10", "2.5") or a duration ("10s", "1m"). */
export function parseTimeout(text: string): number {
  let s: number;
  if (/^[0-9]+(\.[0-9]+)?$/.test(text)) s = Number(text);
  else {
    try {
      s = parseDuration(text);
    } catch {
      throw new UsageError(`--timeout "${text}" is not a number of seconds or a duration like 30s`);
    }
  }
  if (!(s > 0)) throw new UsageError('--timeout must be more than 0 seconds');
  return s;
}

export function parsePositiveInt(name: string, text: string): number {
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) throw new UsageError(`${name} "${text}" must be a whole number of at least 1`);
  return Number(text);
}

/** Runs a command's work with the global options resolved, turning errors into exit status 2. */
export type Runner = (cmd: Command, work: (g: Globals, io: Io) => Promise<ExitCode>) => Promise<void>;

/** commander's accumulator for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
