import Type from 'typebox';
import { DialogueStep } from './dialogue.js';
import { TlsSummary } from './tls.js';

/** The unix prober's `details` (exporter/probers/unix/run.ts writes them): the socket, TLS, the dialogue. */
export const UnixDetails = Type.Object({
  path: Type.String(),
  tls: Type.Optional(TlsSummary),
  steps: Type.Optional(Type.Array(DialogueStep)),
});
export type UnixDetails = Type.Static<typeof UnixDetails>;
