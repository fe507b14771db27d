/**
 * Pulse follows blackbox_exporter 0.28; the side-by-side tests run Debian's 0.23. This maps
 * Pulse's exposition to what 0.23 would print for the same probe by removing exactly the series
 * and labels 0.24–0.28 added (documented in docs/blackbox-compat.md), and nothing else, so every
 * other difference still fails the comparison.
 */
const ADDED_SERIES = ['probe_tls_cipher_info', 'probe_failed_due_to_bytes'];

export function asBlackbox023(text: string): string {
  return text
    .split('\n')
    .filter((line) => !ADDED_SERIES.some((name) => new RegExp(`^(# (HELP|TYPE) )?${name}[ {]`).test(line)))
    .map((line) => (line.startsWith('probe_ssl_last_chain_info{') ? line.replace(/,?serialnumber="[0-9a-f]*"/, '') : line))
    .join('\n');
}
