import { describe, expect, it } from 'vitest';
import { RuntimeLogWatcher } from '../../chaos/_runtimeLog.ts';
import { RuntimeRecords } from '../../chaos/_runtimeRecords.ts';

const lost = (previousEpoch: string, epoch: string) => JSON.stringify({ level: 'error', message: 'redis state lost', previousEpoch, epoch });

describe('RuntimeLogWatcher counts Redis state losses', () => {
  it('one wipe reported again by a restarted runtime (same epochs) is one loss; another wipe is another', () => {
    const watcher = new RuntimeLogWatcher(new RuntimeRecords());
    watcher.onLine(lost('e0', 'e1'));
    watcher.onLine(lost('e0', 'e1')); // killed before re-anchoring, restarted: the same loss
    expect(watcher.detections).toBe(1);
    watcher.onLine(lost('e1', 'e2'));
    expect(watcher.detections).toBe(2);
  });
});
