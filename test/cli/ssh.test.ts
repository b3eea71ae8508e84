/**
 * `metalboot ssh`: which private key opens a device, that the OpenSSH client really reaches a VM's
 * SSH unix socket (the socket's peer records the client's protocol banner), and the errors.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';
import { sshThroughSocket } from '../../src/cli/ssh.js';
import { findIdentity, keyMaterial } from '../../src/util/ssh-identity.js';

let dir: string;
let publicKey: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mb-ssh-'));
  for (const name of ['a', 'b']) await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `${name}@test`, '-f', join(dir, name)]);
  publicKey = (await execa('cat', [join(dir, 'b.pub')])).stdout;
  await execa('mkdir', [join(dir, 'lonely')]);
  await writeFile(join(dir, 'lonely/orphan.pub'), (await execa('cat', [join(dir, 'a.pub')])).stdout); // no private key next to it
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('findIdentity', () => {
  it('finds the private key whose .pub matches a device key, whatever the comment', async () => {
    const [type, data] = publicKey.split(' ');
    expect(await findIdentity([`${type} ${data} someone-else@desk`], ['/nonexistent', dir])).toBe(join(dir, 'b'));
  });
  it('skips a .pub without its private key, and keys that match nothing', async () => {
    const orphan = (await execa('cat', [join(dir, 'lonely/orphan.pub')])).stdout;
    expect(await findIdentity([orphan], [join(dir, 'lonely')])).toBeUndefined();
    expect(await findIdentity([orphan], [join(dir, 'lonely'), dir])).toBe(join(dir, 'a'));
    expect(await findIdentity(['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOnlymatchesnothing0000000000000000000000000'], [dir])).toBeUndefined();
  });
  it('keyMaterial refuses what is not a public key line', () => {
    expect(keyMaterial('ssh-ed25519 AAAA x')).toBe('ssh-ed25519 AAAA');
    expect(keyMaterial('-----BEGIN OPENSSH PRIVATE KEY-----')).toBeUndefined();
    expect(keyMaterial('ssh-ed25519 not/base64!')).toBeUndefined();
  });
});

describe('sshThroughSocket', () => {
  it('the OpenSSH client reaches the unix socket (its banner arrives); a peer that is no sshd gives E_SSH', async () => {
    const socketPath = join(dir, 'ssh.sock');
    const received: string[] = [];
    const server = createServer((peer) => {
      peer.once('data', (chunk: Buffer) => {
        received.push(chunk.toString('latin1').split('\r\n')[0]!);
        peer.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(socketPath, resolve));
    try {
      await expect(sshThroughSocket(socketPath, { identity: join(dir, 'b'), user: 'root', remote: ['true'], env: process.env, stdio: 'pipe' })).rejects.toMatchObject({ code: 'E_SSH' });
      expect(received[0]).toMatch(/^SSH-2\.0-OpenSSH/);
    } finally {
      server.close();
    }
  });
});

describe('metalboot ssh (CLI)', () => {
  it('a QEMU device that is not running has no SSH endpoint: E_NO_SSH with how to start it', async () => {
    const state = join(dir, 'state');
    await writeFile(join(dir, 'metalboot.yaml'), `server:\n  public_url: http://10.0.2.2:8080\n  state_dir: ${state}\nimages:\n  ram: { type: files, kernel: ${join(dir, 'a')}, initrd: ${join(dir, 'b')} }\ndevices:\n  web-1: { image: ram, ssh_keys: [${JSON.stringify(publicKey)}] }\n`);
    let stderr = '';
    const io = { stdout: { write: () => true }, stderr: { write: (t: string) => ((stderr += t), true) }, env: { ...process.env, HOME: dir } } as never;
    expect(await runCli(['ssh', 'web-1', '--config', join(dir, 'metalboot.yaml')], io)).toBe(1);
    expect(stderr).toContain('web-1 shows no SSH endpoint on this host');
    expect(stderr).toContain('metalboot reimage web-1 --provider qemu');
  });
});
