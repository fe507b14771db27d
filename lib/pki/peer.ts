import type { PeerCertificate } from 'node:tls';

/** The CN of a verified peer certificate, or undefined; Node gives a list when the CN repeats. */
export function peerCommonName(cert: PeerCertificate | Record<string, never> | undefined): string | undefined {
  const cn = (cert as PeerCertificate | undefined)?.subject?.CN as string | string[] | undefined;
  if (Array.isArray(cn)) return cn.length === 1 ? cn[0] : undefined;
  return cn || undefined;
}
