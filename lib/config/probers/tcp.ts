import Type from 'typebox';
import type { UnsupportedOption } from '../common.js';

/** The `tcp:` section of a module. PLACEHOLDER: filled in by the tcp prober's work. */
export const TcpOptions = Type.Object({}, { additionalProperties: false });
export type TcpOptions = Type.Static<typeof TcpOptions>;

export const tcpUnsupported: UnsupportedOption[] = [];
