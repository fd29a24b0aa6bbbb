/** A guard as XState keeps it on a transition: a name, `{ type, params }`, or a function (inline, or `and`/`or`/`not`/`stateIn`). */
type GuardDefinition = unknown;

interface GuardFunction {
  name: string;
  guards?: GuardDefinition[];
  stateValue?: unknown;
}

const COMBINERS: Record<string, string> = { and: ' && ', or: ' || ' };

function named(guard: GuardDefinition, nested: boolean): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') {
    const fn = guard as unknown as GuardFunction;
    if (fn.stateValue !== undefined) return `in(${typeof fn.stateValue === 'string' ? fn.stateValue : JSON.stringify(fn.stateValue)})`;
    if (fn.guards && fn.name === 'not') return `!${named(fn.guards[0], true)}`;
    if (fn.guards && COMBINERS[fn.name]) {
      const joined = fn.guards.map((inner) => named(inner, true)).join(COMBINERS[fn.name]);
      return nested && fn.guards.length > 1 ? `(${joined})` : joined;
    }
    return fn.name || 'guard';
  }
  if (guard !== null && typeof guard === 'object' && typeof (guard as { type?: unknown }).type === 'string') return (guard as { type: string }).type;
  return 'guard';
}

/**
 * A guard as a drawing names it: its name (`fillCompletes`), the helpers spelled out
 * (`canSendOrders && !halted`, `in(#order.working)`), an inline function by its name (`guard`
 * for an arrow written in place).
 */
export function guardName(guard: GuardDefinition): string {
  return named(guard, false);
}
