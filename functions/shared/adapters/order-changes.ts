import { EventEmitter } from 'node:events';

// Wakes whoever in this process waits for an order to move. The adapters that write an order or
// its steps call `orderChanged`. The setup pages' `/next` waits with `nextOrderChange` between
// reads, instead of sleeping a fixed interval.
//
// When the engine and the pages share a process (the embedded runtime), the next step is shown
// as soon as it is stored. On AWS each Lambda is its own process, so nothing wakes the wait and
// it falls back to its timeout: a poll with backoff. Either way the read after the wake decides;
// a missed wake costs one interval, never a wrong page.

const changes = new EventEmitter();
// One listener per waiting request: any number may wait at once.
changes.setMaxListeners(0);

/** An order (or one of its steps) was written. */
export function orderChanged(orderId: string): void {
  changes.emit(orderId);
}

/** Resolves at the next `orderChanged(orderId)` in this process, or after `timeoutMs`. */
export function nextOrderChange(orderId: string, timeoutMs: number): Promise<'changed' | 'timeout'> {
  return new Promise((resolve) => {
    const changed = () => {
      clearTimeout(timer);
      resolve('changed');
    };
    const timer = setTimeout(() => {
      changes.off(orderId, changed);
      resolve('timeout');
    }, timeoutMs);
    changes.once(orderId, changed);
  });
}
