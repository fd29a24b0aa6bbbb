import type { SubtreeFactory } from './mainTree';

/** The capabilities `tradewire start` runs after infrastructure, in start order. */
export const defaultSubtrees: SubtreeFactory[] = [];
