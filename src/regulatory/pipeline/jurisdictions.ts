import type { Jurisdiction } from '../reportTypes.ts';

/** Every jurisdiction of the contract; the `satisfies` keeps this list and the type in step. */
export const JURISDICTIONS = ['CFTC', 'NFA'] as const satisfies readonly Jurisdiction[];

type Missing = Exclude<Jurisdiction, (typeof JURISDICTIONS)[number]>;
// Fails to compile when the contract gains a jurisdiction this list lacks.
const _exhaustive: Missing extends never ? true : never = true;
void _exhaustive;
