/**
 * OpenPGP checks of a suite's Release with gpgv (the tool apt and the installer use) against a
 * keyring (default: debian-archive-keyring). A signature counts when gpgv reports VALIDSIG from a
 * key in the keyring and no BADSIG, as apt decides; the content used afterwards is what gpgv
 * verified (`--output`), never the file as fetched.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../errors.js';

export const DEBIAN_KEYRING = '/usr/share/keyrings/debian-archive-keyring.gpg';

function judge(status: string, what: string, keyring: string): void {
  if (/^\[GNUPG:\] BADSIG /m.test(status)) {
    throw new BuildError(`bad signature on ${what}: it was altered after signing`, { hint: 'the mirror or the network path is serving damaged or tampered files; try again or use another mirror' });
  }
  if (!/^\[GNUPG:\] VALIDSIG /m.test(status)) {
    const missing = /^\[GNUPG:\] NO_PUBKEY (\S+)/m.exec(status)?.[1];
    throw new BuildError(`${what} carries no valid signature from a key in ${keyring}${missing ? ` (signed by unknown key ${missing})` : ''}`, {
      hint: 'the suite is signed by keys the keyring lacks (update debian-archive-keyring, or pass --keyring) or the mirror is not Debian\'s',
    });
  }
}

async function runGpgv(keyring: string, args: string[]): Promise<string> {
  try {
    const result = await execa('gpgv', ['--status-fd', '1', '--keyring', keyring, ...args], { reject: false, timeout: 60_000, maxBuffer: 1 << 20 });
    return result.stdout;
  } catch (error) {
    throw new BuildError(`cannot run gpgv: ${(error as Error).message}`, { cause: error, hint: 'apt-get install gpgv' });
  }
}

/** Verifies an inline-signed InRelease; returns the signed body (the Release text). */
export async function verifyInRelease(inRelease: Buffer, keyring: string, what: string): Promise<Buffer> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-gpgv-'));
  try {
    const input = join(dir, 'InRelease');
    const output = join(dir, 'body');
    await writeFile(input, inRelease);
    judge(await runGpgv(keyring, ['--output', output, input]), what, keyring);
    return await readFile(output);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Verifies a detached signature (Release.gpg) over `data` (Release). */
export async function verifyDetached(data: Buffer, signature: Buffer, keyring: string, what: string): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-gpgv-'));
  try {
    await writeFile(join(dir, 'Release'), data);
    await writeFile(join(dir, 'Release.gpg'), signature);
    judge(await runGpgv(keyring, [join(dir, 'Release.gpg'), join(dir, 'Release')]), what, keyring);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
