// Signed checkpoints: Ed25519 from node:crypto (nodejs.org/api/crypto.html#cryptosignalgorithm-data-key-callback).
// The chain has no secret, so anyone can forge a valid one; a signature from a key kept outside
// the journal's folder cannot be forged by someone who can only rewrite the journal.

import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign,
  verify,
  type KeyObject,
} from 'node:crypto';
import { mkdirSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';

export const SIGNING_KEY_ENV = 'FIREBREAK_SIGNING_KEY';
export const PRIVATE_KEY_FILE = 'firebreak-signing.key';
export const PUBLIC_KEY_FILE = 'firebreak-signing.pub';

export interface CheckpointSigner {
  privateKey: KeyObject;
  /** SHA-256 of the public key (SPKI DER), hex: names the key in each signed checkpoint. */
  keyId: string;
}

/** The bytes a checkpoint's signature covers: which incident, where in it, when, and its head. */
export function checkpointMessage(incidentId: string, seq: number, ts: string, records: number, head: string): Buffer {
  return Buffer.from(`firebreak-checkpoint-v1\n${incidentId}\n${seq}\n${ts}\n${records}\n${head}`, 'utf8');
}

export function keyIdOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

export function signCheckpoint(signer: CheckpointSigner, message: Buffer): string {
  return sign(null, message, signer.privateKey).toString('base64');
}

export function checkSignature(publicKey: KeyObject, message: Buffer, sig: string): boolean {
  try {
    return verify(null, message, publicKey, Buffer.from(sig, 'base64'));
  } catch {
    return false;
  }
}

/** Writes a new key pair into `dir` (created 0700); never overwrites an existing key. */
export function generateSigningKeys(dir: string): { privateFile: string; publicFile: string; keyId: string } {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const privateFile = join(dir, PRIVATE_KEY_FILE);
  const publicFile = join(dir, PUBLIC_KEY_FILE);
  const exists = (e: unknown, f: string) => {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST')
      return new SigningKeyError(
        `${f} already exists: firebreak never overwrites a key (journals signed with it would no longer verify). Choose another --out folder.`,
      );
    return e;
  };
  try {
    writeFileSync(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
  } catch (e) {
    throw exists(e, privateFile);
  }
  try {
    writeFileSync(publicFile, publicKey.export({ type: 'spki', format: 'pem' }), { mode: 0o644, flag: 'wx' });
  } catch (e) {
    throw exists(e, publicFile);
  }
  return { privateFile, publicFile, keyId: keyIdOf(publicKey) };
}

export class SigningKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SigningKeyError';
  }
}

function realDir(file: string): string {
  const dir = dirname(resolve(file));
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

/**
 * Loads the private key for a journal. Refused: a key inside the journal's folder (whoever can
 * rewrite the journal could read it and re-sign a forged chain), one others can read, or a file
 * that is not an Ed25519 private key.
 */
export function loadSigner(keyFile: string, journalFile: string, from = SIGNING_KEY_ENV): CheckpointSigner {
  let real: string;
  try {
    real = realpathSync(keyFile);
  } catch {
    throw new SigningKeyError(
      `${from}=${keyFile}: no such key file. Create one with "firebreak keygen --out DIR" (outside the journal's folder).`,
    );
  }
  const journalDir = realDir(journalFile);
  if (real.startsWith(journalDir + sep)) {
    throw new SigningKeyError(
      `${from}=${keyFile} is inside the journal's folder (${journalDir}): anyone who can rewrite the journal could read the key and re-sign a forged one. ` +
        `Move the key elsewhere (e.g. ~/.config/firebreak/) and point ${from} at it.`,
    );
  }
  if ((statSync(real).mode & 0o077) !== 0) {
    throw new SigningKeyError(`${from}=${keyFile} can be read by other users: run "chmod 600 ${keyFile}" first.`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey(readFileSync(real));
  } catch {
    throw new SigningKeyError(
      `${from}=${keyFile} is not a private key (expected the ${PRIVATE_KEY_FILE} that "firebreak keygen" writes).`,
    );
  }
  if (privateKey.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(
      `${from}=${keyFile} is a ${privateKey.asymmetricKeyType} key; firebreak signs with Ed25519 ("firebreak keygen").`,
    );
  return { privateKey, keyId: keyIdOf(createPublicKey(privateKey)) };
}

/** The signer named by FIREBREAK_SIGNING_KEY, if set. */
export function signerFromEnv(journalFile: string): CheckpointSigner | undefined {
  const path = process.env[SIGNING_KEY_ENV];
  return path ? loadSigner(path, journalFile) : undefined;
}

export function loadPublicKey(file: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new SigningKeyError(
      `--public-key ${file}: ${code === 'ENOENT' ? 'no such file' : 'not a public key (expected the .pub that "firebreak keygen" writes)'}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new SigningKeyError(`--public-key ${file} is a ${key.asymmetricKeyType} key; firebreak signs with Ed25519`);
  return key;
}
