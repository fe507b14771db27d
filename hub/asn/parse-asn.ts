import { PulseError } from '../../lib/errors.js';

const MAX_ASN = 4294967295;

/** "AS3320", "as3320" or "3320" → 3320; anything else, AS0 or above 32 bits → 400 with the reason. */
export function parseAsn(raw: string): number {
  const m = /^(?:AS)?([0-9]{1,10})$/i.exec(raw.trim());
  if (!m) throw new PulseError('PULSE_BAD_REQUEST', `${JSON.stringify(raw.slice(0, 64))} is not an AS number (AS3320 or 3320)`);
  const n = Number(m[1]);
  if (n < 1 || n > MAX_ASN) throw new PulseError('PULSE_BAD_REQUEST', `AS${m[1]} is out of range (AS1 to AS${MAX_ASN}; AS0 is reserved)`);
  return n;
}
