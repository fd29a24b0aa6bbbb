/**
 * Deeper than any real job payload, far from where JSON.stringify (which recurses) runs out of
 * stack. A dead letter keeps a payload nested deeper than this as its raw text instead.
 */
export const MAX_PAYLOAD_DEPTH = 512;

/**
 * Whether `value` nests objects or arrays more than `limit` levels deep. Iterative, so it is safe
 * on exactly the values it exists to catch (JSON.parse builds 100k-deep arrays without complaint;
 * anything recursive over them overflows the stack).
 */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(current)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return false;
}
