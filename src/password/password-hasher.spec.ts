import argon2 from 'argon2';
import { LIMITS, PasswordHasher, toPythonParameterOrder } from './password-hasher.js';

// Hashes printed in the seed documents, with the passwords they were made from.
const TUTORIAL_ARGON2 =
  '$argon2id$v=19$m=65536,t=3,p=4$wagCPXjifgvUFBzq4hqe3w$CYaIb8sB+wtD+Vu/P4uod1+Qof8h+1g7bbDlBID48Rc';
const STANLEY_BCRYPT = '$2b$12$HIbxs5kbjinDEUzbQJYqpeTp.GxRgy4m8hdQM4JnSunGQ6VaY5Ld6';
const MIKE_BCRYPT = '$2b$12$JAM3vz8gEZDeNSDAILiaReTmvoNM5EEP33Elhq5fCoTgno4SxfqKO';
const OLD_TUTORIAL_BCRYPT = '$2b$12$EixZaYVK1fsbw1ZfbX3OXePaWxn96p36WQoeG6Lruj3vjPGga31lW';
// "secret", made with Python's hashlib.pbkdf2_hmac in each library's format.
const DJANGO_PBKDF2 = 'pbkdf2_sha256$260000$Q8Ww2bD9Kx1nEWmL$G0aSEIQzBPS6Oufm3Zs363KE50l573lXVuAm1P6xmiw=';
const PASSLIB_PBKDF2 = '$pbkdf2-sha256$29000$AAECAwQFBgcICQoLDA0ODw$pem0oBSvwIfRzKFcfEU21.rzDR03T1aYwqstMqEFKI4';

describe('PasswordHasher', () => {
  const hasher = new PasswordHasher();

  it('verifies the tutorial argon2id hash of "secret"', async () => {
    await expect(hasher.verify(TUTORIAL_ARGON2, 'secret')).resolves.toBe(true);
    await expect(hasher.verify(TUTORIAL_ARGON2, 'Secret')).resolves.toBe(false);
  });

  it('verifies the bcrypt hashes of the seed posts', async () => {
    await expect(hasher.verify(STANLEY_BCRYPT, 'secret')).resolves.toBe(true);
    await expect(hasher.verify(MIKE_BCRYPT, 'password')).resolves.toBe(true);
    await expect(hasher.verify(OLD_TUTORIAL_BCRYPT, 'secret')).resolves.toBe(true);
    await expect(hasher.verify(MIKE_BCRYPT, 'secret')).resolves.toBe(false);
  });

  it("verifies Django's and passlib's pbkdf2_sha256", async () => {
    await expect(hasher.verify(DJANGO_PBKDF2, 'secret')).resolves.toBe(true);
    await expect(hasher.verify(DJANGO_PBKDF2, 'secrets')).resolves.toBe(false);
    await expect(hasher.verify(PASSLIB_PBKDF2, 'secret')).resolves.toBe(true);
    await expect(hasher.verify(PASSLIB_PBKDF2, 'secrets')).resolves.toBe(false);
  });

  it('verifies argon2i and argon2id with other parameters', async () => {
    const argon2i = await argon2.hash('secret', { type: argon2.argon2i, memoryCost: 4096, timeCost: 2, parallelism: 1 });
    const lighter = await argon2.hash('secret', { type: argon2.argon2id, memoryCost: 8192, timeCost: 2, parallelism: 1 });
    await expect(hasher.verify(argon2i, 'secret')).resolves.toBe(true);
    await expect(hasher.verify(lighter, 'secret')).resolves.toBe(true);
    await expect(hasher.verify(lighter, 'wrong')).resolves.toBe(false);
  });

  it('refuses, without trying, hashes whose parameters would take the server down', async () => {
    const salt = 'c2FsdHNhbHRzYWx0c2FsdA';
    const digest = 'YlcmntiGsviwdR0sCVBtFpWtZmnk3oG6vTT1k1rCdyA';
    // Each would take minutes or gigabytes if verified: the test would time out.
    await expect(hasher.verify(`$argon2id$v=19$m=4194304,t=3,p=4$${salt}$${digest}`, 'secret')).resolves.toBe(false);
    await expect(hasher.verify(`$argon2id$v=19$m=65536,t=5000,p=4$${salt}$${digest}`, 'secret')).resolves.toBe(false);
    await expect(hasher.verify(`pbkdf2_sha256$${LIMITS.pbkdf2Iterations + 1}$salt$G0aSEIQzBPS6Oufm3Zs363KE50l573lXVuAm1P6xmiw=`, 'secret')).resolves.toBe(false);
    await expect(hasher.verify(`$2b$31$${'a'.repeat(53)}`, 'secret')).resolves.toBe(false);
  });

  it('hashes with argon2id m=65536, t=3, p=4 written in the order Python reads', async () => {
    const hash = await hasher.hash('correct horse battery staple');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    await expect(hasher.verify(hash, 'correct horse battery staple')).resolves.toBe(true);
    await expect(hasher.verify(hash, 'correct horse battery stapl')).resolves.toBe(false);
  });

  it('salts every hash', async () => {
    expect(await hasher.hash('secret')).not.toBe(await hasher.hash('secret'));
  });

  it('asks for a re-hash of everything but current argon2id in Python order', async () => {
    expect(hasher.needsRehash(TUTORIAL_ARGON2)).toBe(false);
    expect(hasher.needsRehash(await hasher.hash('x'))).toBe(false);
    expect(hasher.needsRehash(STANLEY_BCRYPT)).toBe(true);
    expect(hasher.needsRehash(DJANGO_PBKDF2)).toBe(true);
    expect(hasher.needsRehash('$argon2id$v=19$m=65536,p=4,t=3$c2FsdA$aGFzaA')).toBe(true);
    expect(hasher.needsRehash('$argon2id$v=19$m=8192,t=2,p=1$c2FsdA$aGFzaA')).toBe(true);
  });

  it('answers false, not an error, for a hash it cannot read', async () => {
    await expect(hasher.verify('plaintext', 'plaintext')).resolves.toBe(false);
    await expect(hasher.verify('$argon2id$v=19$m=65536,t=3,p=4$broken', 'secret')).resolves.toBe(false);
    await expect(hasher.verify('$argon2d$v=19$m=65536,t=3,p=4$c2FsdHNhbHRzYWx0c2FsdA$YlcmntiGsviwdR0sCVBtFpWtZmnk3oG6vTT1k1rCdyA', 'secret')).resolves.toBe(false);
    await expect(hasher.verify('$2b$12$short', 'secret')).resolves.toBe(false);
  });

  it('reorders PHC parameters to m,t,p', () => {
    expect(toPythonParameterOrder('$argon2id$v=19$m=65536,p=4,t=3$c2FsdA$aGFzaA')).toBe(
      '$argon2id$v=19$m=65536,t=3,p=4$c2FsdA$aGFzaA',
    );
  });
});
