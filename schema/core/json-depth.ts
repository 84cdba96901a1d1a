/**
 * How deeply parsed JSON nests. Deep values are harmless to `JSON.parse` but overflow the
 * stack of whatever walks them recursively next (zod, `JSON.stringify`, the structured
 * clone that carries a value to a room over RPC), so they are refused at every boundary
 * where a client's JSON comes in.
 */

/** Whether `value` nests arrays and objects more than `max` levels deep. Iterative: any depth is safe to ask about. */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [item, depth] = top;
    if (item === null || typeof item !== "object") continue;
    if (depth + 1 > max) return true;
    for (const child of Object.values(item)) stack.push([child, depth + 1]);
  }
  return false;
}
