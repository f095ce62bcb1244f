// Private signing keys at rest: AES-256-GCM under a key derived from SECRET_KEY with HKDF-SHA256, the
// key's `kid` bound in as associated data (a ciphertext moved to another row does not decrypt). A
// database dump alone therefore signs nothing. During a rotation of SECRET_KEY a key still decrypts
// with one of PREVIOUS_SECRET_KEYS, and is then encrypted again under the new one.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

const FORMAT = 'a256gcm';
const INFO = 'oauth2-password-service signing-key encryption v1';

function wrappingKey(secret: string): Buffer {
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), Buffer.alloc(0), INFO, 32));
}

/** `a256gcm.<iv>.<ciphertext>.<tag>`, base64url. */
export function encryptPrivateKey(pkcs8Pem: string, kid: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', wrappingKey(secret), iv);
  cipher.setAAD(Buffer.from(kid, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(pkcs8Pem, 'utf8'), cipher.final()]);
  return [FORMAT, iv, ciphertext, cipher.getAuthTag()].map((part) => (typeof part === 'string' ? part : part.toString('base64url'))).join('.');
}

/** The PEM, or undefined when `secret` is not the key it was encrypted under (or the text is not ours). */
export function decryptPrivateKey(sealed: string, kid: string, secret: string): string | undefined {
  const [format, iv, ciphertext, tag, ...rest] = sealed.split('.');
  if (format !== FORMAT || rest.length > 0 || !iv || !ciphertext || !tag) return undefined;
  try {
    const decipher = createDecipheriv('aes-256-gcm', wrappingKey(secret), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    return undefined;
  }
}
