import { copyFile, open, readdir, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { decodeFrames, type DecodedFrame } from './frame.js';

/** A log segment's file name: the time it was started, so names sort by age. */
export function segmentName(startedAt: number): string {
  return `${String(startedAt).padStart(15, '0')}.log`;
}

export async function listSegments(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((n) => /^\d{15}\.log$/.test(n)).sort();
}

/**
 * Reads a segment's intact records. A torn or damaged tail (a crash mid-write, a bad disk block)
 * is copied aside for a post-mortem and cut off, so appends go on after the last good record.
 */
export async function readSegment(file: string, warn: (message: string) => void): Promise<{ frames: DecodedFrame[]; size: number }> {
  const buf = await readFile(file);
  const { frames, goodLength, damage } = decodeFrames(buf);
  if (damage !== undefined) {
    const copy = `${file}.corrupt-${new Date().toISOString().replace(/[:.]/g, '-')}`;
    await copyFile(file, copy);
    await truncate(file, goodLength);
    warn(`${file}: ${damage}; kept ${frames.length} good records, cut ${buf.length - goodLength} bytes (whole file kept as ${copy})`);
  }
  return { frames, size: goodLength };
}

/** Reads `length` bytes at `offset`; undefined when the segment is gone (retention removed it). */
export async function readAt(file: string, offset: number, length: number): Promise<Buffer | undefined> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const buf = Buffer.allocUnsafe(length);
    const { bytesRead } = await fh.read(buf, 0, length, offset);
    return bytesRead === length ? buf : undefined;
  } finally {
    await fh.close();
  }
}

export function segmentPath(dir: string, name: string): string {
  return join(dir, name);
}
