import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextOrderChange, orderChanged } from '../../../functions/shared/adapters/order-changes';

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
});
