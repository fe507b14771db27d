import { crc32 } from 'node:zlib';

/** Bytes before each record: its length and the CRC-32 of its bytes, both u32 big-endian. */
export const FRAME_HEADER = 8;
/** A length above this is damage, not a record (a 1,000-agent measurement is a few MB). */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/** One record framed for the log: a torn or damaged record is then told apart from a good one. */
export function encodeFrame(payload: Buffer): Buffer {
  const out = Buffer.allocUnsafe(FRAME_HEADER + payload.length);
  out.writeUInt32BE(payload.length, 0);
  out.writeUInt32BE(crc32(payload), 4);
  payload.copy(out, FRAME_HEADER);
  return out;
}

export interface DecodedFrame {
  /** Where the frame starts in the buffer (its header). */
  offset: number;
  payload: Buffer;
}

export interface DecodeResult {
  frames: DecodedFrame[];
  /** Bytes that hold whole, intact frames; anything after is a torn or damaged tail. */
  goodLength: number;
  /** Why the tail was not read, when there is one. */
  damage?: string;
}

/**
 * Reads frames until the end or the first that is torn (runs past the end) or damaged (bad CRC or
 * impossible length). Nothing after a bad frame is trusted: its length may be what is damaged.
 */
export function decodeFrames(buf: Buffer): DecodeResult {
  const frames: DecodedFrame[] = [];
  let at = 0;
  while (at < buf.length) {
    if (buf.length - at < FRAME_HEADER) return { frames, goodLength: at, damage: `torn record header at byte ${at}` };
    const len = buf.readUInt32BE(at);
    if (len > MAX_RECORD_BYTES) return { frames, goodLength: at, damage: `impossible record length ${len} at byte ${at}` };
    const end = at + FRAME_HEADER + len;
    if (end > buf.length) return { frames, goodLength: at, damage: `torn record at byte ${at} (${buf.length - at} of ${end - at} bytes)` };
    const payload = buf.subarray(at + FRAME_HEADER, end);
    if (crc32(payload) !== buf.readUInt32BE(at + 4)) return { frames, goodLength: at, damage: `checksum mismatch in record at byte ${at}` };
    frames.push({ offset: at, payload });
    at = end;
  }
  return { frames, goodLength: at };
}
