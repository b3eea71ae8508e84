/** `metalboot console <device>`: the device's serial console over SSH (`ssh <id>@<sos>`), terminal passed through. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { ProviderError } from '../errors.js';
import { addConfigOption } from './common.js';
import type { CliIo } from './io.js';

interface ConsoleOptions {
  config?: string;
  provider: string;
  apiUrl?: string;
}

const KEY_FILES = ['id_ed25519', 'id_ecdsa', 'id_rsa', 'id_ed25519_sk', 'id_ecdsa_sk'];

/** Why ssh cannot authenticate, when that is certain before trying. */
export function missingKeyReason(env: NodeJS.ProcessEnv, home = env.HOME ?? homedir()): string | undefined {
  if (env.SSH_AUTH_SOCK) return undefined;
  if (KEY_FILES.some((file) => existsSync(join(home, '.ssh', file)))) return undefined;
  return `no SSH key: no ssh-agent ($SSH_AUTH_SOCK is unset) and none of ${KEY_FILES.map((f) => `~/.ssh/${f}`).join(', ')} exists`;
}

export function registerConsole(program: Command, io: CliIo): void {
  const command = program
    .command('console')
    .argument('<device>', 'device name in the config, device id (UUID) or hostname')
    .option('--provider <name>', 'metal, qemu or redfish', 'metal')
    .option('--api-url <url>', 'Metal API base URL (default $METAL_API_URL or https://api.equinix.com/metal/v1)')
    .summary("open a device's serial console")
    .description("Open the device's serial-over-SSH console (Equinix Metal SOS: ssh <device-id>@<sos host>). Leave it with ~. on a new line. With --provider redfish it prints the serial console access the BMC advertises (SSH, IPMI SOL, Telnet) instead.")
    .action(async (key: string, options: ConsoleOptions) => {
      const { resolveDevice } = await import('../reimage/resolve.js');
      const { openProvider } = await import('../reimage/provider-factory.js');
      const { config, provider } = await openProvider({ ...options, env: io.env });
      const { id } = await resolveDevice(provider, config, key);
      if (provider.describeConsole) {
        io.stdout.write(await provider.describeConsole(id));
        await provider.close?.();
        return;
      }
      const { file, args } = await provider.consoleCommand(id);
      if (file === 'ssh') {
        const reason = missingKeyReason(io.env);
        if (reason) {
          throw new ProviderError(reason, {
            code: 'E_NO_SSH_KEY',
            hint: 'create one with ssh-keygen -t ed25519 and add ~/.ssh/id_ed25519.pub to your Equinix Metal account (SOS accepts account keys)',
          });
        }
      }
      await runConsole(file, args, io.env);
    });
  addConfigOption(command);
}

/** Runs the console program on the process's own terminal (it is interactive), with `env` as its environment. */
export async function runConsole(file: string, args: readonly string[], env: NodeJS.ProcessEnv): Promise<void> {
  const { execa } = await import('execa');
  try {
    const result = await execa(file, [...args], { stdio: 'inherit', reject: false, env, extendEnv: false });
    if (result.failed && (result as { code?: string }).code === 'ENOENT') throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
    if (result.exitCode === 255) {
      throw new ProviderError(`${file} could not connect to the console (exit 255)`, {
        code: 'E_CONSOLE',
        hint: 'check that your SSH public key is on your Equinix Metal account and that the device is provisioned',
      });
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') {
      throw new ProviderError(`${file} is not installed, so the console cannot be opened`, {
        code: 'E_NO_SSH',
        hint: 'install the OpenSSH client (Debian/Ubuntu: apt-get install openssh-client)',
      });
    }
    throw error;
  }
}
