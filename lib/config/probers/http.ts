import Type from 'typebox';
import type { UnsupportedOption } from '../common.js';

/** The `http:` section of a module. PLACEHOLDER: filled in by the http prober's work. */
export const HttpOptions = Type.Object({}, { additionalProperties: false });
export type HttpOptions = Type.Static<typeof HttpOptions>;

export const httpUnsupported: UnsupportedOption[] = [];
