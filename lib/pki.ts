/** Pulse's built-in PKI: a CA and the server, agent and client certificates it signs. */
export { type CertKind, CERT_KINDS, createCa, issueCertificate, type IssueRequest, type PemPair } from './pki/issue.js';
export { CERT_NAME_PATTERN, type CertFiles, caFiles, certFiles, initCa, issueFiles, type IssueFilesOptions, readCa } from './pki/files.js';
export { cachedPeerCertificate, peerCommonName, peerUnits, refusedKind } from './pki/peer.js';
