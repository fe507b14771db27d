import Type from 'typebox';

/** One query_response step as the tcp and unix probers list it under `details.steps`. */
export const DialogueStep = Type.Object({
  step: Type.Number(),
  expect: Type.Optional(Type.String()),
  /** The line that matched `expect`. */
  matched_line: Type.Optional(Type.String()),
  /** Lines read while waiting for the match, the matching one included. */
  lines_read: Type.Optional(Type.Number()),
  /** The last line read when nothing matched. */
  last_line: Type.Optional(Type.String()),
  send: Type.Optional(Type.String()),
  starttls: Type.Optional(Type.Boolean()),
  expect_bytes: Type.Optional(Type.String()),
});
export type DialogueStep = Type.Static<typeof DialogueStep>;
