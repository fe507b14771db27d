import { hostname } from 'node:os';
import type { FastifyBaseLogger } from 'fastify';

/**
 * The exporter's logger: pino's JSON lines (same level numbers, `time`, `pid`, `hostname`, `msg`,
 * `err` as {type, message, stack}) without pino. pino and its worker-thread transport are several
 * megabytes resident on an agent that logs a few lines an hour. Typed as Fastify's logger (a type
 * import only) so code written for the hub's loggers takes this one too.
 */
export const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;
export type LevelName = keyof typeof LEVELS;

type Write = (line: string) => void;

export interface LoggerOptions {
  /** A level name, or 'silent'. */
  level: string;
  /** Where lines go; stdout by default, as pino's. */
  write?: Write;
}

export function createLogger(opts: LoggerOptions | false | undefined): FastifyBaseLogger {
  if (!opts) return build('silent', {}, () => undefined);
  const write = opts.write ?? ((line: string) => process.stdout.write(line));
  return build(opts.level, { pid: process.pid, hostname: hostname() }, write);
}

function threshold(level: string): number {
  return Object.hasOwn(LEVELS, level) ? LEVELS[level as LevelName] : level === 'silent' ? Number.POSITIVE_INFINITY : LEVELS.info;
}

function build(level: string, bindings: Record<string, unknown>, write: Write): FastifyBaseLogger {
  const min = threshold(level);
  const method = (name: LevelName) => {
    const n = LEVELS[name];
    if (n < min) return noop;
    return (objOrMsg: unknown, ...rest: unknown[]) => write(`${line(n, bindings, objOrMsg, rest)}\n`);
  };
  const logger = {
    level,
    trace: method('trace'),
    debug: method('debug'),
    info: method('info'),
    warn: method('warn'),
    error: method('error'),
    fatal: method('fatal'),
    silent: noop,
    child: (more: Record<string, unknown>) => build(level, { ...bindings, ...more }, write),
  };
  return logger as unknown as FastifyBaseLogger;
}

function noop(): void {}

/** pino's call forms: (msg), (obj), (obj, msg), (err), (err, msg). %s-style arguments are appended. */
export function line(level: number, bindings: Record<string, unknown>, objOrMsg: unknown, rest: unknown[]): string {
  const out: Record<string, unknown> = { level, time: Date.now(), ...bindings };
  let msg: unknown;
  if (typeof objOrMsg === 'string') {
    msg = [objOrMsg, ...rest].join(' ');
  } else if (objOrMsg instanceof Error) {
    out.err = serializeError(objOrMsg);
    msg = rest.length > 0 ? rest.join(' ') : objOrMsg.message;
  } else if (objOrMsg && typeof objOrMsg === 'object') {
    for (const [k, v] of Object.entries(objOrMsg)) out[k] = v instanceof Error ? serializeError(v) : v;
    if (rest.length > 0) msg = rest.join(' ');
  } else if (objOrMsg !== undefined) {
    msg = String(objOrMsg);
  }
  if (msg !== undefined) out.msg = msg;
  return JSON.stringify(out);
}

function serializeError(err: Error): Record<string, unknown> {
  return { type: err.name, message: err.message, stack: err.stack };
}
