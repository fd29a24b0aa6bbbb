import type { StateAnchor } from '../../audit/runtimeRecordKinds.ts';
import type { RememberedAnchors } from './anchors.ts';

/** One loss of Redis state, as detected. */
export interface StateLoss {
  lost: StateAnchor[];
  /** For people: what exactly differs (`the epoch ... is gone`). */
  details: string[];
  /** The anchors as the process knew them before the loss. */
  previous: RememberedAnchors;
  /** The store's new epoch. */
  epoch: string;
  detectedAt: Date;
  /** Seqs of the trail as it was that are gone (when the audit head was lost and was known). */
  gap: { fromSeq: number; toSeq: number } | null;
}

/** The IntakeHalt cause a state loss sets; an operator's resume clears it. */
export const STATE_LOST_CAUSE = 'redis-state-lost';

export function haltReasonFor(loss: StateLoss): string {
  return (
    `Redis lost its state (${loss.lost.join(', ')}) at ${loss.detectedAt.toISOString()}: order intake is halted until an operator ` +
    'has checked the broker and resumes it (tradewire resume --reason "...", or POST /resume)'
  );
}
