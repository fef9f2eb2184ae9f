import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextOrderChange, orderChanged, watchOrder } from '../../../functions/shared/adapters/order-changes';

describe('order changes within one process', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('wakes a wait on the order that changed, not on another order', async () => {
    vi.useFakeTimers();
    const mine = nextOrderChange('ORD-A', 1_000);
    const other = nextOrderChange('ORD-B', 1_000);

    orderChanged('ORD-A');
    await vi.advanceTimersByTimeAsync(1_000);

    expect(await mine).toBe('changed');
    expect(await other).toBe('timeout');
  });

  it('gives up after its timeout; a later change wakes only the waits made after it', async () => {
    vi.useFakeTimers();
    const waits = Array.from({ length: 50 }, () => nextOrderChange('ORD-C', 100));
    await vi.advanceTimersByTimeAsync(100);

    expect(await Promise.all(waits)).toEqual(Array.from({ length: 50 }, () => 'timeout'));
    const later = nextOrderChange('ORD-C', 100);
    orderChanged('ORD-C');
    expect(await later).toBe('changed');
  });

  it('a watch keeps every change made since it began, in order, with the item written', async () => {
    const watch = watchOrder('ORD-D');
    orderChanged('ORD-D', { kind: 'link', item: { linkHash: 'partner' } });
    orderChanged('ORD-E', { kind: 'link', item: { linkHash: 'elsewhere' } });
    orderChanged('ORD-D', { kind: 'order', item: { status: 'completed' } });
    orderChanged('ORD-D');
    try {
      expect(await watch.next(10)).toEqual({ kind: 'link', item: { linkHash: 'partner' } });
      expect(await watch.next(10)).toEqual({ kind: 'order', item: { status: 'completed' } });
      expect(await watch.next(10)).toBe('changed');
      expect(await watch.next(10)).toBe('timeout');
    } finally {
      watch.close();
    }
    orderChanged('ORD-D', { kind: 'order', item: {} });
    expect(await watch.next(10)).toBe('timeout');
  });
});
