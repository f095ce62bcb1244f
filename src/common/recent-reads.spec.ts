import { jest } from '@jest/globals';
import { RecentReads } from './recent-reads.js';

describe('RecentReads', () => {
  afterEach(() => jest.useRealTimers());

  it('reads once within the lifetime, and again after it', async () => {
    jest.useFakeTimers({ now: 0 });
    const cache = new RecentReads<string, number>(1000);
    const read = jest.fn(async () => 42);
    expect(await cache.get('a', read)).toBe(42);
    jest.setSystemTime(999);
    await cache.get('a', read);
    expect(read).toHaveBeenCalledTimes(1);
    jest.setSystemTime(1000);
    await cache.get('a', read);
    expect(read).toHaveBeenCalledTimes(2);
  });

  it('shares one read among concurrent misses', async () => {
    const cache = new RecentReads<string, number>(1000);
    const read = jest.fn(async () => 1);
    await Promise.all([cache.get('a', read), cache.get('a', read), cache.get('a', read)]);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('forgets an entry at once when told', async () => {
    const cache = new RecentReads<string, number>(60_000);
    let value = 1;
    const read = async () => value;
    await cache.get('a', read);
    value = 2;
    cache.forget('a');
    expect(await cache.get('a', read)).toBe(2);
  });

  it('forgets the entries whose value matches', async () => {
    const cache = new RecentReads<string, { owner: string }>(60_000);
    await cache.get('s1', async () => ({ owner: 'u1' }));
    await cache.get('s2', async () => ({ owner: 'u2' }));
    await cache.forgetWhere((session) => session.owner === 'u1');
    const read = jest.fn(async () => ({ owner: 'x' }));
    await cache.get('s1', read);
    await cache.get('s2', read);
    expect(read).toHaveBeenCalledTimes(1);
  });

  it('keeps no failed read', async () => {
    const cache = new RecentReads<string, number>(60_000);
    await expect(cache.get('a', async () => Promise.reject(new Error('database down')))).rejects.toThrow('database down');
    await new Promise((resolve) => setImmediate(resolve));
    expect(await cache.get('a', async () => 7)).toBe(7);
  });

  it('holds at most maxEntries, dropping the oldest', async () => {
    const cache = new RecentReads<number, number>(60_000, 2);
    const read = jest.fn(async () => 0);
    for (const key of [1, 2, 3]) await cache.get(key, read);
    await cache.get(3, read);
    await cache.get(1, read);
    expect(read).toHaveBeenCalledTimes(4);
  });
});
