import type { AppConfig } from '../config/app-config.js';
import { MemoryCounterStore } from './counter-store.js';
import { SignUpLimit } from './sign-up-limit.js';

describe('SignUpLimit', () => {
  it('refuses the sign-ups past SIGNUP_MAX_PER_ADDRESS with 429 and Retry-After, even when they arrive at once', async () => {
    const limit = new SignUpLimit(new MemoryCounterStore(), { signupMaxPerAddress: 2, signupWindowSeconds: 3600 } as AppConfig);
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => limit.count('192.0.2.13')));
    const refusals = results.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    expect(refusals).toHaveLength(4);
    expect(refusals[0].getStatus()).toBe(429);
    expect(refusals[0].getResponse()).toEqual({ detail: 'Too many sign-ups, try again later' });
    expect(refusals[0].headers['Retry-After']).toBe('3600');
  });

  it('counts each address on its own', async () => {
    const limit = new SignUpLimit(new MemoryCounterStore(), { signupMaxPerAddress: 1, signupWindowSeconds: 3600 } as AppConfig);
    await limit.count('192.0.2.14');
    await expect(limit.count('192.0.2.15')).resolves.toBeUndefined();
  });
});
