import type { Measurement } from './api.js';

/**
 * What a measurement asked, in one line: the type and target, and for dns the name and type
 * asked of the resolver ("dns www.example.org A @ 192.0.2.53:53"), which the target alone hides.
 */
export function measurementTitle(m: Pick<Measurement, 'type' | 'target' | 'options'>): string {
  if (m.type === 'dns' && typeof m.options.query_name === 'string') {
    const qtype = typeof m.options.query_type === 'string' ? m.options.query_type : 'A';
    return `dns ${m.options.query_name} ${qtype} @ ${m.target}`;
  }
  return `${m.type} ${m.target}`;
}
