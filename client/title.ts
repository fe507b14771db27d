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

/**
 * The heading of a run on the page, live or opened from its link: the type's title and what was
 * asked. For dns that is the name and type (the resolvers are the rows' own column when there
 * are several, the heading's "@ resolver" when there is one).
 */
export function runHeading(typeTitle: string, type: string, targets: readonly string[], options: Record<string, unknown> | undefined): string {
  const o = options ?? {};
  if (type === 'dns' && typeof o.query_name === 'string') {
    const qtype = typeof o.query_type === 'string' ? o.query_type : 'A';
    return `${typeTitle} ${o.query_name} ${qtype}${targets.length === 1 ? ` @ ${targets[0]}` : ''}`;
  }
  return `${typeTitle} ${targets.join(', ')}`;
}
