import Type from 'typebox';

/** PUT /asndb/:ASN body: the operator's own name and notes for a network. */
export const AsnDbInput = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 256 }),
    notes: Type.Optional(Type.String({ maxLength: 4096 })),
  },
  { additionalProperties: false },
);
export type AsnDbInput = Type.Static<typeof AsnDbInput>;

/** One stored entry, as GET /asndb/ and GET /asndb/:ASN show it. */
export interface AsnDbEntry {
  asn: string;
  name: string;
  notes: string;
  updated: string;
}
