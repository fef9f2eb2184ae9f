import { EventEmitter } from 'node:events';

// Wakes whoever in this process waits for an order to move, and hands them what was written. The
// adapters that write an order, its steps or its links call `orderChanged` with the item as
// stored (from the write itself: the Put's item, or an update's ALL_NEW, at no extra request).
// A step is part of its order's item (step-store.ts), so a step's change is an order change. The
// setup pages' `/next` watches the order (`watchOrder`) and applies each change to what it read,
// instead of reading again.
//
// When the engine and the pages share a process (the embedded runtime), the next step is shown
// as soon as it is stored, with no read. On AWS each Lambda is its own process, so nothing wakes
// the wait and it falls back to its timeout: a poll with backoff, one Query each. A POST always
// reads everything again, so a change applied out of order can never act on a stale page.

/** What was written: the stored item (keys included), as DynamoDB now holds it. */
export interface OrderChange {
  kind: 'order' | 'link';
  item: Record<string, unknown>;
}

const changes = new EventEmitter();
// One listener per waiting request: any number may wait at once.
changes.setMaxListeners(0);

/** An order (or one of its steps or links) was written; `change` carries the item as stored. No request. */
export function orderChanged(orderId: string, change?: OrderChange): void {
  changes.emit(orderId, change);
}

export interface OrderWatch {
  /** The next change since the watch began (kept in order, none lost), or 'timeout'; 'changed' when a writer said only that. */
  next(timeoutMs: number): Promise<OrderChange | 'changed' | 'timeout'>;
  close(): void;
}

/**
 * Watches one order from now on: changes that arrive between two `next` calls are kept, so a
 * write landing while the watcher reads is not lost. Close it when done. No request.
 */
export function watchOrder(orderId: string): OrderWatch {
  const queue: (OrderChange | 'changed')[] = [];
  let wake: (() => void) | undefined;
  const listener = (change: OrderChange | undefined) => {
    queue.push(change ?? 'changed');
    wake?.();
  };
  changes.on(orderId, listener);
  return {
    async next(timeoutMs) {
      if (queue.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, timeoutMs);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        wake = undefined;
      }
      return queue.shift() ?? 'timeout';
    },
    close() {
      changes.off(orderId, listener);
      queue.length = 0;
    },
  };
}

/** Resolves at the next `orderChanged(orderId)` in this process, or after `timeoutMs`. */
export async function nextOrderChange(orderId: string, timeoutMs: number): Promise<'changed' | 'timeout'> {
  const watch = watchOrder(orderId);
  try {
    return (await watch.next(timeoutMs)) === 'timeout' ? 'timeout' : 'changed';
  } finally {
    watch.close();
  }
}
