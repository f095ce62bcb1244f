// The service's icon, for browser tabs and bookmarks: both docs pages link it, and browsers ask for
// /favicon.ico by habit. Kept in code, not as a file, so the built bundle and the container need
// nothing beside dist/. It is this SVG drawn at 32×32, stored as a PNG inside an ICO:
// <svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" fill="#2b5797"/>
// <circle cx="16" cy="12.5" r="5" fill="#fff"/><path d="M13 15.5h6l1.5 10h-9z" fill="#fff"/></svg>
import type { NestFastifyApplication } from '@nestjs/platform-fastify';

export const FAVICON_PATH = '/favicon.ico';

const FAVICON = Buffer.from(
  'AAABAAEAICAAAAEAIAC6AQAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgDAAAARKSKxgAAAIRQTFRFAAAAKVWXK1eWKleWK1eXKVKUK1eWK1aXKlaWKleWK1aXK1eXL1qZa4q2iKDEQ2qj0tvp////PmagM12b5Ory4+nyNF6borbS3uXv2ODs+fr88vX53OPuXH6vbYu3qbvVytXl7PD2OGGdUnaqdJG7lavLKVaWKleXJlOZKlaWKlaWJFKb5UHNGQAAACx0Uk5TAF2t5f8fucTDYbjo//////////////////////////////////9QsCj48xy+7jZLAAAAuUlEQVR42p3T2Q6CMBRF0QPUAVCkIoMDMorT//+fkdJEE0+buF+7ctPctADguJ74kec6eDebC9p8BmAhDC0BXxjzEZhBgNAMQghL32C1jqL1ioNNLKWU8ZaBZCfH0oyAXE7lBBQa7Ak4aHC0TSj+vUOWqvNTwvZQKlDSRZ0VOFMQKRBRUClQUVArUFPQKNAw0Oo9tAR0GnQE9Br0BJSXqc9N2R+t9dkPZjDAPOIK4Hbn54/n+L+N3/8FKx0bntR+WqsAAAAASUVORK5CYII=',
  'base64',
);

export function serveFavicon(app: NestFastifyApplication): void {
  app
    .getHttpAdapter()
    .getInstance()
    .get(FAVICON_PATH, (_request, reply) => reply.type('image/x-icon').header('Cache-Control', 'public, max-age=86400').send(FAVICON));
}
