import Type from 'typebox';
import type { UnsupportedOption } from '../common.js';

/** The `icmp:` section of a module. PLACEHOLDER: filled in by the icmp prober's work. */
export const IcmpOptions = Type.Object({}, { additionalProperties: false });
export type IcmpOptions = Type.Static<typeof IcmpOptions>;

export const icmpUnsupported: UnsupportedOption[] = [];
