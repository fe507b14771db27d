import { createHash } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, id_ce_subjectAltName, SubjectAlternativeName } from '@peculiar/asn1-x509';
import { goNameString } from './go-name.js';
import type { CertInfo } from './tls-info.js';

/** One DER certificate as the probers report it (names in Go's format, as blackbox prints them). */
export function certInfo(der: Buffer): CertInfo {
  const cert = AsnConvert.parse(der, Certificate);
  const tbs = cert.tbsCertificate;
  const dns: string[] = [];
  const ips: string[] = [];
  const san = tbs.extensions?.find((e) => e.extnID === id_ce_subjectAltName);
  if (san) {
    for (const g of AsnConvert.parse(san.extnValue, SubjectAlternativeName)) {
      if (g.dNSName !== undefined) dns.push(g.dNSName);
      if (g.iPAddress !== undefined) ips.push(g.iPAddress);
    }
  }
  const notBefore = tbs.validity.notBefore.getTime();
  const notAfter = tbs.validity.notAfter.getTime();
  return {
    subject: goNameString(tbs.subject),
    issuer: goNameString(tbs.issuer),
    dns_names: dns,
    ip_addresses: ips,
    not_before: notBefore.toISOString(),
    not_after: notAfter.toISOString(),
    not_after_seconds: Math.floor(notAfter.getTime() / 1000),
    fingerprint_sha256: createHash('sha256').update(der).digest('hex'),
    serial: Buffer.from(tbs.serialNumber).toString('hex'),
  };
}

