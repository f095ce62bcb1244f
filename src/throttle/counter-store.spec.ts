import { MemoryCounterStore } from './counter-store.js';

describe('MemoryCounterStore', () => {
  it('counts up within a window, takes refunds, and never goes below zero', async () => {
    const store = new MemoryCounterStore();
    await store.increment('k', 60_000);
    expect((await store.increment('k', 60_000)).count).toBe(2);
    await store.decrement('k');
    await store.decrement('k');
    await store.decrement('k');
    expect((await store.peek('k'))?.count).toBe(0);
  });

  it('lets one caller through a gate until it is freed or its time is up', async () => {
    const store = new MemoryCounterStore();
    expect(await store.acquire('gate', 60_000)).toBe(0);
    expect(await store.acquire('gate', 60_000)).toBeGreaterThan(59_000);
    await store.hold('gate', 0);
    expect(await store.acquire('gate', 1)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(await store.acquire('gate', 60_000)).toBe(0);
  });

  it('keeps at most its number of keys, dropping the oldest', async () => {
    const store = new MemoryCounterStore(3);
    for (const key of ['a', 'b', 'c', 'd']) await store.increment(key, 60_000);
    expect(await store.peek('a')).toBeUndefined();
    expect((await store.peek('d'))?.count).toBe(1);
  });
});
