import type { SubtreeFactory } from './mainTree';
import { brokerSubtree } from './brokerSubtree';

/** The capabilities `tradewire start` runs after infrastructure, in start order. */
export const defaultSubtrees: SubtreeFactory[] = [brokerSubtree];
