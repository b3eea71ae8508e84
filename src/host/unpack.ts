/**
 * Packages the list unpacks instead of installing (`unpackInto`, packages.ts): Debian 13's `ipxe`
 * on a Debian 12 host. apt-get runs with a private configuration — a sources list naming only
 * that suite (on the machine's own Debian archive, signed by the archive keyring), its own lists,
 * cache and preferences — so `apt-get update` there touches none of the host's apt state, and
 * `apt-get download` fetches the one package (verified by apt against the signed Release). It is
 * unpacked with `dpkg-deb -x` next to its target and renamed into place: a half-unpacked tree
 * never proves the package. The host's apt.conf (proxies, mirrors' options) still applies.
 */
import { chmod, mkdir, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { MetalbootError } from '../errors.js';
import { DEBIAN_ARCHIVE_KEYRING } from './debian-files.js';
import type { DebianPackage } from './packages.js';

const PRIVATE_DIRS = ['lists/partial', 'cache/archives/partial', 'etc/sources.list.d', 'etc/preferences.d'];

/** apt-get's `-o` options that keep every piece of its state under `dir`. Pure. */
export function privateAptOptions(dir: string): string[] {
  const options: Record<string, string> = {
    'Dir::Etc::SourceList': `${dir}/etc/sources.list`,
    'Dir::Etc::SourceParts': `${dir}/etc/sources.list.d`,
    'Dir::Etc::Preferences': `${dir}/etc/preferences`,
    'Dir::Etc::PreferencesParts': `${dir}/etc/preferences.d`,
    'Dir::State::Lists': `${dir}/lists`,
    'Dir::Cache': `${dir}/cache`,
    'Acquire::Languages': 'none',
  };
  return Object.entries(options).flatMap(([key, value]) => ['-o', `${key}=${value}`]);
}

/** The one-line sources list of the private configuration. Pure. */
export function renderUnpackSources(archiveUri: string, suite: string, keyring: string = DEBIAN_ARCHIVE_KEYRING): string {
  return `deb [signed-by=${keyring}] ${archiveUri} ${suite} main\n`;
}

/**
 * The Debian archive this host's apt already uses for its own release, from `apt-get indextargets
 * --format '$(REPO_URI) $(RELEASE)'` output and the release's codename (`VERSION_CODENAME` of
 * /etc/os-release). Pure; undefined when no http(s) source serves that release.
 */
export function hostArchiveUri(indexTargets: string, codename: string): string | undefined {
  for (const line of indexTargets.split('\n')) {
    const [uri, release] = line.trim().split(/\s+/);
    if (uri && release === codename && /^https?:\/\//.test(uri)) return uri;
  }
  return undefined;
}

/** `VERSION_CODENAME` of an os-release file's text. Pure. */
export function osCodename(osRelease: string): string | undefined {
  return /^VERSION_CODENAME=["']?([a-z0-9-]+)["']?$/m.exec(osRelease)?.[1];
}

async function findHostArchive(): Promise<string> {
  const codename = osCodename(await readFile('/etc/os-release', 'utf8').catch(() => '')) ?? '';
  const { stdout } = await execa('apt-get', ['indextargets', '--format', '$(REPO_URI) $(RELEASE)']);
  const uri = hostArchiveUri(stdout, codename);
  if (!uri) {
    throw new MetalbootError(`no apt source of this host serves its own release "${codename}" over http(s), so there is no Debian archive to fetch another suite from`, {
      code: 'E_HOST_PACKAGES', hint: 'add the Debian archive for this release to /etc/apt/sources.list(.d), then run again',
    });
  }
  return uri;
}

/** Fetches `pkg` from its suite and unpacks it into `pkg.unpackInto` (replacing what was there). Root only. */
export async function unpackPackage(pkg: DebianPackage, output: 'inherit' | 'ignore' = 'inherit'): Promise<void> {
  const { unpackInto: target, suite } = pkg;
  if (!target || !suite) throw new Error(`src/host/packages.ts: ${pkg.name} needs both unpackInto and suite to be unpacked`);
  await mkdir(dirname(target), { recursive: true });
  const work = await mkdtemp(`${target}.tmp-`);
  const run = (args: string[], cwd?: string) =>
    execa('apt-get', [...privateAptOptions(join(work, 'apt')), ...args], {
      stdio: ['ignore', output, output], env: { DEBIAN_FRONTEND: 'noninteractive' }, ...(cwd ? { cwd } : {}),
    });
  try {
    for (const sub of PRIVATE_DIRS) await mkdir(join(work, 'apt', sub), { recursive: true });
    await writeFile(join(work, 'apt', 'etc', 'sources.list'), renderUnpackSources(await findHostArchive(), suite));
    // apt downloads as the unprivileged _apt user: it must be able to write where the .deb goes.
    const debs = join(work, 'debs');
    await mkdir(debs);
    await Promise.all([chmod(work, 0o755), chmod(debs, 0o777)]);
    await run(['update']);
    await run(['download', `${pkg.name}/${suite}`], debs);
    const deb = (await readdir(debs)).find((file) => file.startsWith(`${pkg.name}_`) && file.endsWith('.deb'));
    if (!deb) throw new MetalbootError(`apt-get download ${pkg.name}/${suite} left no ${pkg.name}_*.deb`, { code: 'E_HOST_PACKAGES' });
    await execa('dpkg-deb', ['-x', join(debs, deb), join(work, 'root')]);
    await rm(target, { recursive: true, force: true });
    await rename(join(work, 'root'), target);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
