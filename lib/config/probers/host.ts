import Type from 'typebox';
import type { UnsupportedOption } from '../common.js';

/** Sections of the host-check probers. PLACEHOLDER: filled in by the host checks work. */
export const FileExistsOptions = Type.Object({}, { additionalProperties: false });
export type FileExistsOptions = Type.Static<typeof FileExistsOptions>;
export const FileContainsOptions = Type.Object({}, { additionalProperties: false });
export type FileContainsOptions = Type.Static<typeof FileContainsOptions>;
export const ProcessRunningOptions = Type.Object({}, { additionalProperties: false });
export type ProcessRunningOptions = Type.Static<typeof ProcessRunningOptions>;

export const hostUnsupported: UnsupportedOption[] = [];
