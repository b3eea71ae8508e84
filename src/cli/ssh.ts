/**
 * `metalboot ssh <device> [command…]`: an SSH session (or one command) on a device, through the
 * SSH endpoint its provider shows (`devices --json` → `ssh`; QEMU VMs: a unix socket on this
 * host), with the private key matching one of the device's `ssh_keys`.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { MetalbootError, ProviderError } from '../errors.js';
import { addConfigOption } from './common.js';
import type { CliIo } from './io.js';

interface SshOptions {
  config?: string;
  provider: string;
  identity?: string;
  user: string;
  apiUrl?: string;
}

export function registerSsh(program: Command, io: CliIo): void {
  const command = program
    .command('ssh')
    .argument('<device>', 'device name in the config, device id or hostname')
    .argument('[command...]', 'run this on the device instead of a login shell (put it after --)')
    .option('--provider <name>', 'where the device lives (QEMU VMs expose their SSH on this host)', 'qemu')
    .option('-i, --identity <file>', "private key (default: the one in ~/.ssh or next to the config whose .pub is among the device's ssh_keys)")
    .option('--user <name>', 'user to log in as', 'root')
    .option('--api-url <url>', 'Metal API base URL (default $METAL_API_URL or https://api.equinix.com/metal/v1)')
    .summary('open an SSH session on a device with its key')
    .description(
      "Open SSH on a device through the endpoint its provider shows (devices --json: ssh). A QEMU VM's port 22 is a unix " +
        'socket on this host (<state_dir>/qemu/<device>/ssh.sock), piped through a loopback port for the OpenSSH client. ' +
        "The key is the private key whose .pub matches one of the device's ssh_keys (searched in ~/.ssh and the config's directory), or --identity. " +
        'Host keys are not recorded: each boot of a RAM image or reinstall makes a new one, and the socket is local to this host.',
    )
    .addHelpText('after', '\nExamples:\n  metalboot ssh web-1\n  metalboot ssh web-1 -- cat /proc/net/bonding/bond0\n  metalboot ssh web-1 -i ./keys/lab --user debian')
    .action(async (key: string, remote: string[], options: SshOptions) => {
      const code = await runSsh(key, remote, options, io);
      if (code !== 0) throw new MetalbootError(`the command on ${key} exited with ${code}`, { code: 'E_SSH', exitCode: code });
    });
  addConfigOption(command);
}

async function runSsh(key: string, remote: readonly string[], options: SshOptions, io: CliIo): Promise<number> {
  const { resolveDevice } = await import('../reimage/resolve.js');
  const { openProvider } = await import('../reimage/provider-factory.js');
  const { findIdentity } = await import('../util/ssh-identity.js');
  const { config, provider } = await openProvider({ ...options, env: io.env });
  const resolved = await resolveDevice(provider, config, key);
  const device = await provider.getDevice(resolved.id);
  await provider.close?.();
  const label = resolved.name ?? resolved.id;
  if (!device.ssh?.startsWith('unix:')) {
    throw new ProviderError(`${label} shows no SSH endpoint on this host (its provider is ${provider.name}; state ${device.state})`, {
      code: 'E_NO_SSH',
      hint: device.state === 'active' ? 'only QEMU VMs expose SSH here; for a Metal server use ssh root@<its address>' : 'start it first: metalboot reimage ' + label + ' --provider qemu',
    });
  }
  const configured = resolved.name && config ? config.devices[resolved.name] : undefined;
  const identity = options.identity ?? (await findIdentity(configured?.sshKeys ?? [], [join(io.env.HOME ?? homedir(), '.ssh'), ...(config ? [config.dir] : [])]));
  if (!identity) {
    throw new ProviderError(`no private key for ${label}: none of the .pub files in ~/.ssh${config ? ` or ${config.dir}` : ''} matches its ssh_keys`, {
      code: 'E_NO_SSH_KEY', hint: 'pass --identity FILE, or add the public key of a key you have to the device\'s ssh_keys and re-image it',
    });
  }
  return sshThroughSocket(device.ssh.slice('unix:'.length), { identity, user: options.user, remote, env: io.env });
}

/** Runs the OpenSSH client on this terminal against a VM's SSH socket; returns its exit code. */
export async function sshThroughSocket(socketPath: string, opts: { identity: string; user: string; remote: readonly string[]; env: NodeJS.ProcessEnv; stdio?: 'inherit' | 'pipe' }): Promise<number> {
  const { execa } = await import('execa');
  const { loopbackPortFor } = await import('../vm/ssh-socket.js');
  const bridge = await loopbackPortFor(socketPath);
  try {
    const args = [
      '-i', opts.identity, '-o', 'IdentitiesOnly=yes', '-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=no', '-o', 'UserKnownHostsFile=/dev/null',
      '-o', 'LogLevel=ERROR', '-o', 'ConnectTimeout=20', '-p', String(bridge.port), `${opts.user}@127.0.0.1`, ...(opts.remote.length > 0 ? ['--', ...opts.remote] : []),
    ];
    const result = await execa('ssh', args, { stdio: opts.stdio ?? 'inherit', reject: false, env: opts.env, extendEnv: false });
    if ((result as { code?: string }).code === 'ENOENT') {
      throw new ProviderError('ssh is not installed', { code: 'E_NO_SSH', hint: 'install the OpenSSH client (Debian/Ubuntu: apt-get install openssh-client)' });
    }
    if (result.exitCode === 255) {
      throw new ProviderError(`ssh could not log in through ${socketPath} (exit 255)`, { code: 'E_SSH', hint: 'is the system up and sshd running? look at its console: metalboot console <device>' });
    }
    return result.exitCode ?? 1;
  } finally {
    await bridge.close();
  }
}
