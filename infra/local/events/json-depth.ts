// PutEvents "will only process nested JSON up to 1000 levels deep" (EventBridge API reference).
// Deeper JSON cannot even be written back out by JSON.stringify (it overflows the stack near ten
// thousand levels), so the local endpoint and `npm run order` refuse it before touching it.
export const MAX_EVENT_JSON_DEPTH = 1000;

/**
 * Whether `value` nests objects or arrays more than `limit` levels deep. Walks with its own
 * stack (never recursion), so any depth is measured safely, and stops at the first too-deep node.
 */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { node: unknown; depth: number }[] = [{ node: value, depth: 0 }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { node, depth } = next;
    if (typeof node !== 'object' || node === null) continue;
    if (depth + 1 > limit) return true;
    for (const child of Object.values(node)) stack.push({ node: child, depth: depth + 1 });
  }
  return false;
}
