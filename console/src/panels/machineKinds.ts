import { useEffect, useMemo } from 'preact/hooks';
import { machines } from '../live/feeds.ts';
import { useSlice } from '../state/slice.ts';

/** Actor kind → the machine it runs (GET /machines), for the tree's links and the statechart picker. */
export function useMachineKinds(): Map<string, string> {
  useEffect(() => machines.watch(), []);
  const [polled] = useSlice(machines.slice);
  return useMemo(() => {
    const byKind = new Map<string, string>();
    for (const machine of polled.data?.machines ?? []) for (const kind of machine.kinds) byKind.set(kind, machine.name);
    return byKind;
  }, [polled]);
}
