/**
 * Label names an agent may not announce (nor an exporter config set): the selector's own keys
 * (`name` is the certificate's CN, `asn`, `limit`, `same_as` are not labels) and the labels /sd
 * writes itself (`agent`, `job`, `instance`). Any of them would let an agent look like another
 * in a selector, on a dashboard or in an alert.
 */
export const RESERVED_LABELS = ['name', 'agent', 'asn', 'limit', 'same_as', 'job', 'instance'] as const;

/** Prometheus' label name syntax. */
export const LABEL_SYNTAX = '^[a-zA-Z_][a-zA-Z0-9_]*$';

/** A label name an agent may use: Prometheus' syntax, no `__` prefix (Prometheus' own), none of the reserved. */
export const AGENT_LABEL_PATTERN = `^(?!(${RESERVED_LABELS.join('|')})$)(?!__)${LABEL_SYNTAX.slice(1)}`;

/** Why this label name is refused, or undefined. */
export function reservedLabelReason(label: string): string | undefined {
  if ((RESERVED_LABELS as readonly string[]).includes(label)) {
    return `label "${label}" is reserved (${RESERVED_LABELS.join(', ')}): it would let an agent pose as another in selectors and /sd`;
  }
  if (label.startsWith('__')) return `label "${label.slice(0, 64)}" starts with "__", which Prometheus keeps for itself`;
  return undefined;
}
