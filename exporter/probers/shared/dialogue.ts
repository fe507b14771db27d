import type { DialogueStep } from '../../../lib/probers/details/dialogue.js';
import type { QueryResponse } from '../../../lib/config/probers/tcp.js';
import { compileGoRegex } from '../../../lib/regex.js';
import type { MetricSet } from '../../../lib/probe/metrics.js';
import type { ProbeLogger } from '../../../lib/probe/types.js';
import { ProbeAborted } from './abort.js';
import { expandTemplate } from './expand.js';

/** What one query_response step did, for the structured result (never more than a line of text). */
/** One step as `details.steps` lists it (its schema: lib/probers/details/dialogue.ts). */
export type StepDetail = DialogueStep;

/** The socket side of a dialogue; TcpConnection in the prober, anything line-based in tests. */
export interface LineChannel {
  readLine(): Promise<string | null>;
  /** Writes the text, or the bytes, and a newline. */
  writeLine(text: string | Buffer): Promise<void>;
  /** Waits for data and takes what is there, at most `n` bytes (Go's conn.Read); null at end of stream. */
  readBytes(n: number): Promise<Buffer | null>;
  /** Upgrades to TLS; resolves once the handshake is done. */
  startTls(): Promise<void>;
}

export type DialogueOutcome = (
  | { ok: true; steps: StepDetail[] }
  | { ok: false; steps: StepDetail[]; reason: string; regexFailed: boolean; bytesFailed?: boolean }
) & {
  /** probe_expect_info's labels, from the `labels` of a step whose `expect` matched. */
  expectInfo?: Record<string, string>;
};

/** A step's result when it did not go through: a regex or bytes mismatch (I/O failures throw). */
interface StepFailure {
  reason: string;
  bytes?: boolean;
}

const MAX_KEPT_LINE = 512;

/**
 * blackbox 0.23's query_response loop: per step, read lines until `expect` matches (end of
 * stream without a match is the one "failed due to regex" case), write `send` with the match
 * expanded into it, then STARTTLS if asked. A step without `expect` sends `send` verbatim.
 */
export async function runDialogue(steps: readonly QueryResponse[], chan: LineChannel, logger: ProbeLogger): Promise<DialogueOutcome> {
  const done: StepDetail[] = [];
  const info: { labels?: Record<string, string> } = {};
  const withInfo = <T extends object>(o: T) => (info.labels ? { ...o, expectInfo: info.labels } : o);
  for (const [i, qr] of steps.entries()) {
    const detail: StepDetail = { step: i };
    done.push(detail);
    logger.info('Processing query response entry', { entry_number: i });
    const phase = { now: '' };
    try {
      const failure = await runStep(i, qr, detail, chan, logger, phase, info);
      if (failure) {
        const bytes = failure.bytes === true;
        return withInfo({ ok: false as const, steps: done, regexFailed: !bytes, ...(bytes ? { bytesFailed: true } : {}), reason: failure.reason });
      }
    } catch (err) {
      const reason = err instanceof ProbeAborted ? `step ${i}: timed out ${phase.now}` : `step ${i}: ${phase.now}: ${(err as Error).message}`;
      logger.error('Query response step failed', { entry_number: i, err: (err as Error).message });
      return withInfo({ ok: false as const, steps: done, regexFailed: false, reason });
    }
  }
  return withInfo({ ok: true as const, steps: done });
}

/** One step; returns the reason when the expect regex never matched, throws on I/O failure. */
async function runStep(
  i: number,
  qr: QueryResponse,
  detail: StepDetail,
  chan: LineChannel,
  logger: ProbeLogger,
  phase: { now: string },
  info: { labels?: Record<string, string> },
): Promise<StepFailure | undefined> {
  let send = qr.send ?? '';
  if (qr.expect !== undefined && qr.expect !== '') {
    detail.expect = qr.expect;
    phase.now = `waiting for a line matching ${JSON.stringify(qr.expect)}`;
    const re = compileGoRegex(qr.expect);
    let match: RegExpExecArray | null = null;
    let read = 0;
    let line: string | null = null;
    for (;;) {
      line = await chan.readLine();
      if (line === null) break;
      read++;
      detail.last_line = keep(line);
      logger.debug('Read line', { line });
      match = re.exec(line);
      if (match) break;
    }
    detail.lines_read = read;
    if (!match || line === null) {
      logger.error('Regexp did not match', { regexp: qr.expect, line: detail.last_line ?? '' });
      const after = read === 0 ? 'before the server sent a line' : `after ${read} line${read === 1 ? '' : 's'}`;
      return { reason: `step ${i}: connection closed ${after} without a line matching ${JSON.stringify(qr.expect)}` };
    }
    logger.info('Regexp matched', { regexp: qr.expect, line });
    detail.matched_line = keep(line);
    delete detail.last_line;
    send = expandTemplate(send, match);
    if (qr.labels) info.labels = Object.fromEntries(qr.labels.map((l) => [l.name, expandTemplate(l.value, match)]));
  }
  if (qr.expect_bytes !== undefined && qr.expect_bytes !== '') {
    const failure = await expectBytes(i, qr.expect_bytes, detail, chan, logger, phase);
    if (failure) return failure;
  }
  if (qr.send_bytes !== undefined) {
    // A `send: !!binary ...` of blackbox.yml: bytes, written as they are (no expansion).
    detail.send = `<${Buffer.from(qr.send_bytes, 'base64').length} bytes>`;
    phase.now = 'sending bytes';
    await chan.writeLine(Buffer.from(qr.send_bytes, 'base64'));
  } else if (send !== '') {
    detail.send = keep(send);
    phase.now = 'sending a line';
    logger.debug('Sending line', { line: send });
    await chan.writeLine(send);
  }
  if (qr.starttls) {
    detail.starttls = true;
    phase.now = 'during the STARTTLS handshake';
    await chan.startTls();
    logger.info('TLS Handshake (client) succeeded.');
  }
  return undefined;
}

/** blackbox's expect_bytes: one read of as many bytes as expected, compared byte for byte. */
async function expectBytes(
  i: number,
  expected: string,
  detail: StepDetail,
  chan: LineChannel,
  logger: ProbeLogger,
  phase: { now: string },
): Promise<StepFailure | undefined> {
  const want = Buffer.from(expected, 'utf8');
  detail.expect_bytes = expected;
  phase.now = `waiting for ${want.length} byte${want.length === 1 ? '' : 's'}`;
  const got = await chan.readBytes(want.length);
  if (got === null) throw new Error('connection closed before any byte was read');
  logger.debug('Read bytes', { bytes: got.toString('hex') });
  if (got.length < want.length) {
    // A short read is a failed read for blackbox, not a mismatch.
    return { reason: `step ${i}: read ${got.length} of the ${want.length} expected bytes` };
  }
  if (!got.equals(want)) {
    logger.error('Bytes did not match', { expected: want.toString('hex'), bytes: got.toString('hex') });
    return { reason: `step ${i}: read bytes ${got.toString('hex')}, expected ${want.toString('hex')}`, bytes: true };
  }
  logger.debug('Bytes matched', { expected: want.toString('hex') });
  return undefined;
}

function keep(line: string): string {
  return line.length > MAX_KEPT_LINE ? `${line.slice(0, MAX_KEPT_LINE)}…` : line;
}

/** What the dialogue adds: the failure flags, and probe_expect_info when a step has `labels`. */
export function dialogueMetrics(m: MetricSet, outcome: DialogueOutcome): MetricSet {
  if (!outcome.ok && outcome.regexFailed) m.gauge('probe_failed_due_to_regex', 'Indicates if probe failed due to regex', 1);
  if (!outcome.ok && outcome.bytesFailed) m.gauge('probe_failed_due_to_bytes', 'Indicates if probe failed due to bytes', 1);
  if (outcome.expectInfo) m.gauge('probe_expect_info', 'Explicit content matched', 1, outcome.expectInfo);
  return m;
}
