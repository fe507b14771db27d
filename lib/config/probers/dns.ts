import Type from 'typebox';
import type { UnsupportedOption } from '../common.js';

/** The `dns:` section of a module. PLACEHOLDER: filled in by the dns prober's work. */
export const DnsOptions = Type.Object({}, { additionalProperties: false });
export type DnsOptions = Type.Static<typeof DnsOptions>;

export const dnsUnsupported: UnsupportedOption[] = [];
