// Raw argon2id verifications per second at the service's parameters, at concurrency 1 to 2x the
// core count: the ceiling for POST /token, and the basis of HASH_CONCURRENCY's default.
// Usage: node bench/argon2-ceiling.mjs [seconds per level, default 5]
import os from 'node:os';
import argon2 from 'argon2';

const HASH = '$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc';
const seconds = Number(process.argv[2] ?? 5);
const cores = os.availableParallelism();

async function measure(concurrency) {
  const end = Date.now() + seconds * 1000;
  let done = 0;
  const latencies = [];
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < end) {
        const start = performance.now();
        await argon2.verify(HASH, 'secret');
        latencies.push(performance.now() - start);
        done += 1;
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  return { concurrency, perSecond: done / seconds, medianMs: latencies[Math.floor(latencies.length / 2)] };
}

console.log(`cores: ${cores}, node ${process.version}, ${seconds} s per level`);
for (let concurrency = 1; concurrency <= cores * 2; concurrency += 1) {
  const { perSecond, medianMs } = await measure(concurrency);
  console.log(`concurrency ${concurrency}: ${perSecond.toFixed(1)} verifies/s, median ${medianMs.toFixed(0)} ms`);
}
