// Another instance (or a write straight to the database) is seen within the second of
// docs/architecture.md, "Caches and their bounds": an instance may reuse its reads of a token's
// user and session for that long, never longer.
import { TOKEN_READS_TTL_MS } from '../../src/common/recent-reads.js';

/**
 * The first answer of `read` that `settled` accepts, or else the first answer to a read sent once
 * the second (and slack) since the change is over. Call it once the change is made. What counts is
 * when a read was sent, not when its answer came: on a busy machine an answer may take longer than
 * the second, and a read sent before the second was over may still be answered from memory.
 */
export async function withinASecond<T>(read: () => Promise<T>, settled: (answer: T) => boolean): Promise<T> {
  const over = Date.now() + TOKEN_READS_TTL_MS + 200;
  for (;;) {
    const sent = Date.now();
    const answer = await read();
    if (settled(answer) || sent > over) return answer;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
