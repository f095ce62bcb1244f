// Another instance (or a write straight to the database) is seen within design.md §3's second: an
// instance may reuse its reads of a token's user and session for that long, never longer.
import { TOKEN_READS_TTL_MS } from '../../src/common/recent-reads.js';

/** The first answer of `read` that `settled` accepts, or the last one once the second (and slack) is over. */
export async function withinASecond<T>(read: () => Promise<T>, settled: (answer: T) => boolean): Promise<T> {
  const deadline = Date.now() + TOKEN_READS_TTL_MS + 200;
  let answer = await read();
  while (!settled(answer) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    answer = await read();
  }
  return answer;
}
