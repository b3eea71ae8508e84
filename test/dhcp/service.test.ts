/**
 * serve --dhcp's supervision, against a stand-in dnsmasq (a shell script that logs like dnsmasq
 * and reports the signals it gets), on loopback: start, hosts-file updates without a restart, a
 * SIGHUP when a MAC goes, a restart when the config changes or dnsmasq dies, and the errors.
 */
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { Config } from '../../src/config/types.js';
import type { DhcpService } from '../../src/dhcp/index.js';
import { startDhcpService } from '../../src/dhcp/index.js';
import { BOOT_FILE_SOURCES } from '../../src/dhcp/boot-files.js';

const dir = await mkdtemp(join(tmpdir(), 'metalboot-dhcp-service-'));
afterAll(() => rm(dir, { recursive: true, force: true }));
const canStage = BOOT_FILE_SOURCES.bios.from.some(existsSync) && BOOT_FILE_SOURCES.efiX86_64.from.some(existsSync);

const FAKE = `#!/bin/sh
case "$1" in --test) echo "dnsmasq: syntax check OK."; exit 0;; esac
[ -n "\${FAKE_FAIL:-}" ] && { echo "dnsmasq: failed to create listening socket for port 67: Address already in use" >&2; exit 2; }
echo "dnsmasq[$$]: started, version 2.90 DNS disabled" >&2
echo "dnsmasq-dhcp[$$]: DHCP, proxy on subnet 127.0.0.0" >&2
trap 'echo "dnsmasq[$$]: got SIGHUP" >&2' HUP
trap 'exit 0' TERM
while :; do sleep 0.05; done
`;

function config(macs: string[], publicUrl = 'http://10.0.0.5:8080'): Config {
  const devices = macs.map((mac, i) => `  d${i}: { image: deb, macs: ["${mac}"] }\n`).join('');
  return parseConfig(`server:\n  public_url: ${publicUrl}\n  state_dir: ${join(dir, 'state')}\nimages:\n  deb: { type: files, kernel: /k, initrd: /i }\ndevices:\n${devices}`, join(dir, 'metalboot.yaml'));
}

const lines: { msg: string; dnsmasq?: string; level: number }[] = [];
const logger = pino({ level: 'debug', base: undefined }, { write: (line: string) => void lines.push(JSON.parse(line)) });
const until = async (check: () => boolean | Promise<boolean>, ms = 10_000) => {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out; log:\n${lines.map((l) => l.msg).join('\n')}`);
    await new Promise((r) => setTimeout(r, 50));
  }
};

describe.skipIf(!canStage)('serve --dhcp supervision (stand-in dnsmasq on loopback)', async () => {
  const fake = join(dir, 'dnsmasq');
  await writeFile(fake, FAKE);
  await chmod(fake, 0o755);
  let service: DhcpService | undefined;
  afterEach(async () => service?.stop());

  it('starts after --test, relays its log lines, writes the hosts file and the TFTP root', async () => {
    service = await startDhcpService({ mode: 'proxy', interface: 'lo', logger, dnsmasq: fake, skipRootCheck: true, runDir: join(dir, 'run1') }, config(['52:54:00:00:00:01']));
    expect(service.pid()).toBeGreaterThan(0);
    expect(lines).toContainEqual(expect.objectContaining({ dnsmasq: 'dhcp', msg: 'DHCP, proxy on subnet 127.0.0.0' }));
    expect(await readFile(service.hostsFile, 'utf8')).toContain('52:54:00:00:00:01,set:metalboot');
    const conf = await readFile(service.configFile, 'utf8');
    expect(conf).toContain('interface=lo');
    expect(conf).toContain('dhcp-range=127.0.0.0,proxy,255.0.0.0');
    expect(existsSync(join(dir, 'run1/tftp/undionly.kpxe')) && existsSync(join(dir, 'run1/tftp/snponly.efi'))).toBe(true);
  });

  it('adds a MAC without a restart, sends SIGHUP when one goes, restarts on a new public URL', async () => {
    service = await startDhcpService({ mode: 'proxy', interface: 'lo', logger, dnsmasq: fake, skipRootCheck: true, runDir: join(dir, 'run2') }, config(['52:54:00:00:00:01']));
    const first = service.pid();
    await service.update(config(['52:54:00:00:00:01', '52:54:00:00:00:02']));
    expect(await readFile(service.hostsFile, 'utf8')).toContain('52:54:00:00:00:02,set:metalboot');
    expect(service.pid()).toBe(first);
    expect(lines.some((l) => l.msg === 'got SIGHUP')).toBe(false);
    await service.update(config(['52:54:00:00:00:02']));
    expect(await readFile(service.hostsFile, 'utf8')).not.toContain('52:54:00:00:00:01');
    await until(() => lines.some((l) => l.msg === 'got SIGHUP'));
    expect(service.pid()).toBe(first);
    await service.update(config(['52:54:00:00:00:02'], 'http://10.0.0.5:9090'));
    expect(await readFile(service.configFile, 'utf8')).toContain('dhcp-boot=tag:ipxe,http://10.0.0.5:9090/boot.ipxe');
    expect(service.pid()).not.toBe(first);
  });

  it('restarts dnsmasq when it dies', async () => {
    service = await startDhcpService({ mode: 'proxy', interface: 'lo', logger, dnsmasq: fake, skipRootCheck: true, runDir: join(dir, 'run3') }, config(['52:54:00:00:00:01']));
    const first = service.pid()!;
    process.kill(first, 'SIGKILL');
    await until(() => service!.pid() !== undefined && service!.pid() !== first);
    expect(lines.some((l) => /dnsmasq exited unexpectedly; restarting in 1 s/.test(l.msg))).toBe(true);
  });

  it('names the fix when port 67 is taken, the public URL is loopback, or the interface does not exist', async () => {
    service = undefined;
    process.env.FAKE_FAIL = '1';
    try {
      await expect(startDhcpService({ mode: 'proxy', interface: 'lo', logger, dnsmasq: fake, skipRootCheck: true, runDir: join(dir, 'run4') }, config([]))).rejects.toMatchObject({ code: 'E_DHCP_PORT_BUSY', message: expect.stringContaining('already in use') });
    } finally {
      delete process.env.FAKE_FAIL;
    }
    await expect(startDhcpService({ mode: 'proxy', interface: 'lo', logger, dnsmasq: fake, skipRootCheck: true, runDir: join(dir, 'run6') }, config([], 'http://127.0.0.1:8080'))).rejects.toMatchObject({ code: 'E_DHCP_CONFIG', message: expect.stringContaining('loopback') });
    await expect(startDhcpService({ mode: 'proxy', interface: 'nope9', logger, dnsmasq: fake, skipRootCheck: true, runDir: join(dir, 'run5') }, config([]))).rejects.toMatchObject({ code: 'E_DHCP_INTERFACE' });
  });
});
