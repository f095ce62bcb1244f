// Closing a connection whose request body is refused unread (415, 413) without losing the answer.
import type { FastifyReply } from 'fastify';
import type { Socket } from 'node:net';

/** How long a refused body may keep arriving after its answer, before the connection is cut. */
export const LINGER_MS = 2_000;

/**
 * Answers with `Connection: close`, and once the answer is out closes the connection gently: Node
 * would destroy the socket at once, and a socket closed with unread bytes sends the client a reset,
 * which makes most clients (Node's among them) drop the answer they had not read yet and report a
 * write error instead. Here the service sends its FIN and goes on dropping what arrives (Node
 * discards the rest of an unread body) until the client closes too or `LINGER_MS` passes.
 */
export function closeGently(reply: FastifyReply): FastifyReply {
  const socket = reply.raw.socket as (Socket & { destroySoon?: () => void }) | null;
  if (socket && !socket.destroyed) {
    // What Node calls when the last answer on a `Connection: close` socket has been written: not a
    // documented API, so test/abuse-requests.e2e-spec.ts checks it on each Node that CI runs (20, 24).
    socket.destroySoon = function lingeringClose(this: Socket) {
      if (this.writable) this.end();
      const cut = setTimeout(() => this.destroy(), LINGER_MS).unref();
      this.once('close', () => clearTimeout(cut));
      // Both directions ended: nothing is left to wait for.
      this.once('end', () => this.destroy());
    };
  }
  return reply.header('Connection', 'close');
}
