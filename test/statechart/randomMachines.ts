import fc from 'fast-check';
import { and, createMachine, fromPromise, not, or, stateIn, type AnyStateMachine } from 'xstate';

/**
 * Random machine definitions for the property tests, each with what its drawing must show:
 * nested compound and parallel states, final and history states, and transitions of every kind
 * (events, `*`, `after`, `always`, invoked actors' done and error, a compound's done, without
 * target, re-entering, to several parallel regions at once), with guards of every form.
 */

type Shape = { kind: 'atomic' } | { kind: 'compound'; children: Shape[]; final: boolean; history: 'shallow' | 'deep' | null; initial: number } | { kind: 'parallel'; children: Shape[] };

const shapes = fc.letrec<{ node: Shape; region: Shape; atomic: Shape; compound: Shape; parallel: Shape }>((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('atomic'), tie('compound'), tie('parallel')),
  region: fc.oneof({ depthSize: 'small', withCrossShrink: true }, tie('atomic'), tie('compound')),
  atomic: fc.constant({ kind: 'atomic' as const }),
  compound: fc.record({
    kind: fc.constant('compound' as const),
    children: fc.array(tie('node'), { minLength: 1, maxLength: 3 }),
    final: fc.boolean(),
    history: fc.constantFrom(null, 'shallow' as const, 'deep' as const),
    initial: fc.nat(),
  }),
  parallel: fc.record({ kind: fc.constant('parallel' as const), children: fc.array(tie('region'), { minLength: 2, maxLength: 3 }) }),
}));

export interface ExpectedState {
  id: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history';
  parent: string | null;
  initial: boolean;
}

export interface ExpectedTransition {
  source: string;
  event: string;
  targets: string[];
  guard: string | null;
}

/** A guard in each of the forms a definition writes one, its truth, and the name a drawing gives it. */
const GUARDS: { make: () => unknown; holds: boolean; name: string }[] = [
  { make: () => 'yes', holds: true, name: 'yes' },
  { make: () => 'no', holds: false, name: 'no' },
  { make: () => ({ type: 'yes' }), holds: true, name: 'yes' },
  { make: () => and(['yes', not('no')]), holds: true, name: 'yes && !no' },
  { make: () => or(['no', { type: 'yes' }]), holds: true, name: 'no || yes' },
  { make: () => not(and(['yes', 'no'])), holds: true, name: '!(yes && no)' },
  { make: () => and(['yes', or(['no', 'no'])]), holds: false, name: 'yes && (no || no)' },
  { make: () => stateIn('#m'), holds: true, name: 'in(#m)' },
  { make: () => ({ guard: () => true }).guard, holds: true, name: 'guard' },
  { make: () => ({ guard: () => false }).guard, holds: false, name: 'guard' },
];

const EVENTS = ['A', 'B', 'C', '*'] as const;
export const SENT_EVENTS = ['A', 'B', 'C', 'D'] as const;

type Kind = 'event' | 'after' | 'always' | 'targetless' | 'reenter' | 'invokeDone' | 'invokeError' | 'stateDone' | 'multi';

const transitionSpecs = fc.array(
  fc.record({
    kind: fc.constantFrom<Kind>('event', 'event', 'event', 'after', 'always', 'targetless', 'reenter', 'invokeDone', 'invokeError', 'stateDone', 'multi'),
    source: fc.nat(),
    target: fc.nat(),
    event: fc.constantFrom(...EVENTS),
    delay: fc.constantFrom(100, 1000),
    guard: fc.option(fc.nat({ max: GUARDS.length - 1 }), { nil: null }),
    regions: fc.tuple(fc.nat(), fc.nat(), fc.nat()),
  }),
  { maxLength: 12 },
);

interface Built {
  machine: AnyStateMachine;
  states: ExpectedState[];
  transitions: ExpectedTransition[];
}

interface Node {
  id: string;
  type: ExpectedState['type'];
  parent: Node | null;
  config: Record<string, any>;
  children: Node[];
}

function buildNodes(shape: Shape, key: string, parent: Node | null, all: Node[]): Node {
  const id = parent ? `${parent.id}.${key}` : key;
  const type = shape.kind;
  const node: Node = { id, type, parent, config: {}, children: [] };
  all.push(node);
  if (shape.kind === 'atomic') return node;
  node.config.type = shape.kind;
  node.config.states = {};
  shape.children.forEach((child, i) => node.children.push(buildNodes(child, `s${i}`, node, all)));
  if (shape.kind === 'compound') {
    // The initial state is one of the ordinary children; a final and a history state come after them.
    node.config.initial = `s${shape.initial % shape.children.length}`;
    if (shape.final) {
      const final: Node = { id: `${id}.end`, type: 'final', parent: node, config: { type: 'final' }, children: [] };
      node.children.push(final);
      all.push(final);
    }
    if (shape.history) {
      const history: Node = { id: `${id}.hist`, type: 'history', parent: node, config: { type: 'history', history: shape.history }, children: [] };
      node.children.push(history);
      all.push(history);
    }
  }
  for (const child of node.children) node.config.states[child.id.slice(id.length + 1)] = child.config;
  return node;
}

const push = (record: Record<string, unknown[]>, key: string, value: unknown) => {
  record[key] = [...(record[key] ?? []), value];
};

/** A random machine definition and the states and transitions it has. */
export const randomMachines: fc.Arbitrary<Built> = fc.tuple(shapes.compound, transitionSpecs).map(([shape, specs]) => {
  const all: Node[] = [];
  const root = buildNodes(shape, 'm', null, all);
  const transitions: ExpectedTransition[] = [];
  // Final and history states take no transitions; any state but the machine itself may be a target.
  const sources = all.filter((node) => node.type !== 'final' && node.type !== 'history');
  const targets = all.filter((node) => node !== root);
  const parallels = all.filter((node) => node.type === 'parallel');

  for (const spec of specs) {
    const source = sources[spec.source % sources.length]!;
    // `*` also takes the done events XState raises: entering a final state (or a history state that may restore
    // one) on it would raise another, for ever.
    const targetable = spec.event === '*' ? targets.filter((node) => node.type !== 'final' && node.type !== 'history') : targets;
    const target = targetable[spec.target % targetable.length]!;
    const guard = spec.guard === null ? null : GUARDS[spec.guard]!;
    // An eventless transition whose guard held could run again at once: only false guards, so a machine always settles.
    const guardUsed = spec.kind === 'always' && (guard === null || guard.holds) ? GUARDS[1]! : guard;
    const transition = (to: string[] | undefined, extra: Record<string, unknown> = {}) => ({
      ...(to ? { target: to.length === 1 ? `#${to[0]}` : to.map((id) => `#${id}`) } : {}),
      ...(guardUsed ? { guard: guardUsed.make() } : {}),
      ...extra,
    });
    const expect = (event: string, to: string[]) => transitions.push({ source: source.id, event, targets: to, guard: guardUsed?.name ?? null });
    const on = (source.config.on ??= {});
    switch (spec.kind) {
      case 'event':
        push(on, spec.event, transition([target.id]));
        expect(spec.event, [target.id]);
        break;
      case 'targetless':
        push(on, spec.event, transition(undefined));
        expect(spec.event, []);
        break;
      case 'reenter':
        push(on, spec.event, transition([source.id], { reenter: true }));
        expect(spec.event, [source.id]);
        break;
      case 'after':
        push((source.config.after ??= {}), String(spec.delay), transition([target.id]));
        expect(`after ${spec.delay}ms`, [target.id]);
        break;
      case 'always':
        (source.config.always ??= []).push(transition([target.id]));
        expect('always', [target.id]);
        break;
      case 'invokeDone':
      case 'invokeError':
        (source.config.invoke ??= []).push({ src: 'work', [spec.kind === 'invokeDone' ? 'onDone' : 'onError']: transition([target.id]) });
        expect(spec.kind === 'invokeDone' ? 'done: work' : 'error: work', [target.id]);
        break;
      case 'stateDone': {
        // Only a compound state with a final child is ever done; it takes one onDone, leaving it (entering its
        // final state again, itself or through a history state, would make it done again, for ever).
        const outside = targets.filter((node) => node !== source && !node.id.startsWith(`${source.id}.`) && node.type !== 'history');
        if (source.type !== 'compound' || !source.children.some((child) => child.type === 'final') || source.config.onDone || outside.length === 0) break;
        const away = outside[spec.target % outside.length]!;
        source.config.onDone = transition([away.id]);
        expect('done', [away.id]);
        break;
      }
      case 'multi': {
        // One target in each of two regions of a parallel state: entered together.
        const parallel = parallels[spec.regions[0] % Math.max(parallels.length, 1)];
        if (!parallel) break;
        const [first, second] = [spec.regions[1] % parallel.children.length, (spec.regions[1] + 1 + (spec.regions[2] % (parallel.children.length - 1))) % parallel.children.length];
        const pick = (region: Node) => {
          const inner = all.filter((node) => node.id.startsWith(`${region.id}.`) && node.type !== 'history');
          return inner.length ? inner[spec.target % inner.length]! : region;
        };
        const to = [pick(parallel.children[first]!).id, pick(parallel.children[second]!).id];
        const event = spec.event === '*' ? 'A' : spec.event;
        push(on, event, transition(to));
        expect(event, to);
        break;
      }
    }
  }
  const machine = createMachine(
    { id: 'm', ...root.config },
    {
      guards: { yes: () => true, no: () => false },
      actors: { work: fromPromise(() => new Promise<never>(() => {})) },
    },
  );
  const states: ExpectedState[] = all.map((node) => ({
    id: node.id,
    type: node.type,
    parent: node.parent?.id ?? null,
    initial: node.parent?.type === 'compound' && node.parent.config.initial === node.id.slice(node.parent.id.length + 1),
  }));
  return { machine, states, transitions };
});
