import Type from 'typebox';
import type { UnsupportedOption } from '../common.js';

/** The `mtr:` section of a module. PLACEHOLDER: filled in by the mtr prober's work. */
export const MtrOptions = Type.Object({}, { additionalProperties: false });
export type MtrOptions = Type.Static<typeof MtrOptions>;

export const mtrUnsupported: UnsupportedOption[] = [];
