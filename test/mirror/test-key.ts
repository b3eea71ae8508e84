/** A throwaway OpenPGP key in a temp GNUPGHOME (gpg), for signing fake suites. */
import { join } from 'node:path';
import { execa } from 'execa';

export interface TestKey {
  /** Binary keyring holding the public key (what gpgv and apt's signed-by read). */
  readonly keyring: string;
  clearsign(text: string): Promise<Buffer>;
  detachSign(text: string): Promise<Buffer>;
}

export async function createTestKey(dir: string, name = 'metalboot test archive'): Promise<TestKey> {
  const home = join(dir, 'gnupg');
  const env = { GNUPGHOME: home };
  await execa('mkdir', ['-m', '700', '-p', home]);
  await execa('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--quick-gen-key', `${name} <test@invalid>`, 'ed25519', 'sign', 'never'], { env });
  const keyring = join(dir, `${name.replace(/\W+/g, '-')}.gpg`);
  await execa('gpg', ['--batch', '--export', '--output', keyring], { env });
  const sign = async (args: string[], text: string): Promise<Buffer> =>
    Buffer.from((await execa('gpg', ['--batch', '--pinentry-mode', 'loopback', '--passphrase', '', '--digest-algo', 'SHA256', ...args], { env, input: text, encoding: 'buffer' })).stdout);
  return {
    keyring,
    clearsign: (text) => sign(['--clearsign'], text),
    detachSign: (text) => sign(['--detach-sign', '--armor'], text),
  };
}
