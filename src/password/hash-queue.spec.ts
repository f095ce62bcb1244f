import { HttpException } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { HashQueue } from './hash-queue.js';

function deferred() {
  let resolve!: () => void;
  const promise = new Promise<void>((done) => (resolve = done));
  return { promise, resolve };
}

describe('HashQueue', () => {
  const queueOf = (hashConcurrency: number, hashQueueLimit: number, hashQueuePerAddress = 100) =>
    new HashQueue({ hashConcurrency, hashQueueLimit, hashQueuePerAddress } as AppConfig);

  it('runs at most HASH_CONCURRENCY jobs at once, the rest in order', async () => {
    const queue = queueOf(2, 10);
    let running = 0;
    let peak = 0;
    const order: number[] = [];
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const jobs = gates.map((gate, index) =>
      queue.run(async () => {
        running += 1;
        peak = Math.max(peak, running);
        await gate.promise;
        order.push(index);
        running -= 1;
      }),
    );
    gates.forEach((gate) => gate.resolve());
    await Promise.all(jobs);
    expect(peak).toBe(2);
    expect(order).toEqual([0, 1, 2, 3]);
  });

  it('answers 503 "Server busy" with Retry-After when the queue is full', async () => {
    const queue = queueOf(1, 1);
    const gate = deferred();
    const first = queue.run(() => gate.promise);
    const second = queue.run(async () => undefined);
    const third = queue.run(async () => undefined).catch((error: HttpException) => error);
    const refused = (await third) as HttpException & { headers: Record<string, string> };
    expect(refused.getStatus()).toBe(503);
    expect(refused.getResponse()).toEqual({ detail: 'Server busy' });
    expect(refused.headers).toEqual({ 'Retry-After': '1' });
    gate.resolve();
    await Promise.all([first, second]);
  });

  it('frees its slot when a job fails', async () => {
    const queue = queueOf(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(async () => 'next')).resolves.toBe('next');
  });

  it('serves another address next: a flood from one address does not keep another waiting behind it', async () => {
    const queue = queueOf(1, 100);
    const gate = deferred();
    const order: string[] = [];
    const first = queue.run(() => gate.promise, 'flood');
    const jobs = [
      ...Array.from({ length: 5 }, () => queue.run(async () => void order.push('flood'), 'flood')),
      queue.run(async () => void order.push('bystander'), 'bystander'),
    ];
    gate.resolve();
    await Promise.all([first, ...jobs]);
    expect(order.indexOf('bystander')).toBe(0);
  });

  it('answers 429 with Retry-After to an address that already has HASH_QUEUE_PER_ADDRESS waiting, and not to others', async () => {
    const queue = queueOf(1, 100, 2);
    const gate = deferred();
    const first = queue.run(() => gate.promise, 'flood');
    const waiting = [queue.run(async () => undefined, 'flood'), queue.run(async () => undefined, 'flood')];
    const refused = (await queue.run(async () => undefined, 'flood').catch((error: HttpException) => error)) as HttpException & {
      headers: Record<string, string>;
    };
    expect(refused.getStatus()).toBe(429);
    expect(refused.headers).toEqual({ 'Retry-After': '1' });
    const other = queue.run(async () => 'served', 'bystander');
    gate.resolve();
    await expect(other).resolves.toBe('served');
    await Promise.all([first, ...waiting]);
  });

  it('gives the next worker to the address served least recently, even when it queued last', async () => {
    const queue = queueOf(1, 100);
    const gate = deferred();
    const order: string[] = [];
    const first = queue.run(() => gate.promise, 'flood');
    const jobs = [
      queue.run(async () => void order.push('flood'), 'flood'),
      queue.run(async () => void order.push('guesser'), 'guesser'),
      queue.run(async () => void order.push('bystander'), 'bystander'),
    ];
    gate.resolve();
    await Promise.all([first, ...jobs]);
    expect(order).toEqual(['guesser', 'bystander', 'flood']);
  });
});
