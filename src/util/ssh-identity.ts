/**
 * The private key that opens a device: the device's `ssh_keys` are public keys; the identity is
 * the file next to a matching `.pub` (same type and key material, the comment does not matter)
 * in the directories searched (~/.ssh, the config's directory). Reads only `*.pub` files and
 * checks the private key exists; never reads a private key.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** `type base64` of an OpenSSH public key line, without its comment; undefined if it is not one. */
export function keyMaterial(line: string): string | undefined {
  const [type, data] = line.trim().split(/\s+/);
  if (!type || !data || !/^(ssh|ecdsa|sk)-[A-Za-z0-9@.-]+$/.test(type) || !/^[A-Za-z0-9+/]+=*$/.test(data)) return undefined;
  return `${type} ${data}`;
}

export async function findIdentity(publicKeys: readonly string[], dirs: readonly string[]): Promise<string | undefined> {
  const wanted = new Set(publicKeys.map(keyMaterial).filter((k): k is string => k !== undefined));
  if (wanted.size === 0) return undefined;
  for (const dir of dirs) {
    const names = await readdir(dir).catch(() => [] as string[]);
    for (const name of names.filter((n) => n.endsWith('.pub')).sort()) {
      const material = keyMaterial(await readFile(join(dir, name), 'utf8').catch(() => ''));
      const privateKey = join(dir, name.slice(0, -'.pub'.length));
      if (material && wanted.has(material) && existsSync(privateKey)) return privateKey;
    }
  }
  return undefined;
}
