/**
 * Dependency resolution by Debian's own tool: apt-get with a private configuration (its own
 * sources, an empty dpkg status, the target architecture, Recommends on as the installer sets
 * them) reading the verified indexes already laid out in the new mirror (a `file:` source, so apt
 * checks the InRelease signature once more and touches no network). `--print-uris` lists the pool
 * files an install of the named packages downloads.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { BuildError } from '../errors.js';

export interface AptSource {
  /** Archive root on disk holding dists/<suite>/InRelease and <component>/binary-<arch>/Packages.*. */
  readonly root: string;
  readonly suite: string;
  readonly component: string;
  readonly debArch: string;
  readonly keyring: string;
}

/** The private apt.conf: everything under `dir`, nothing read from /etc/apt. */
export function renderAptConfig(dir: string, debArch: string): string {
  const q = (value: string): string => JSON.stringify(value);
  return [
    `Dir ${q(`${dir}/`)};`,
    `Dir::State ${q(`${dir}/state/`)};`,
    `Dir::State::Lists ${q(`${dir}/lists/`)};`,
    `Dir::State::status ${q(`${dir}/status`)};`,
    `Dir::Cache ${q(`${dir}/cache/`)};`,
    `Dir::Etc ${q(`${dir}/etc/`)};`,
    `Dir::Etc::Parts ${q(`${dir}/etc/apt.conf.d/`)};`,
    `Dir::Etc::SourceList ${q(`${dir}/etc/sources.list`)};`,
    `Dir::Etc::SourceParts ${q(`${dir}/etc/sources.list.d/`)};`,
    `Dir::Etc::PreferencesParts ${q(`${dir}/etc/preferences.d/`)};`,
    `Dir::Etc::TrustedParts ${q(`${dir}/etc/trusted.gpg.d/`)};`,
    `APT::Architecture ${q(debArch)};`,
    `APT::Architectures { ${q(debArch)}; };`,
    'APT::Install-Recommends "true";',
    'APT::Install-Suggests "false";',
    'Acquire::Languages "none";',
    'Debug::NoLocking "true";',
    '',
  ].join('\n');
}

export function renderSourcesList(source: AptSource): string {
  return `deb [signed-by=${source.keyring}] file:${source.root} ${source.suite} ${source.component}\n`;
}

/** `'file:/…/pool/main/a/acl/libacl1_2.3.1-3_amd64.deb' libacl1_… 31488 MD5Sum:…` → pool/main/a/acl/libacl1_…deb */
export function parsePrintUris(text: string, root: string): string[] {
  const prefix = `file:${root.replace(/\/+$/, '')}/`;
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const uri = /^'([^']+)'/.exec(line)?.[1];
    if (!uri) continue;
    const decoded = decodeURIComponent(uri);
    if (!decoded.startsWith(prefix)) throw new BuildError(`apt proposed ${JSON.stringify(decoded.slice(0, 200))}, outside the mirror being built`, { hint: 'this is a bug in metalboot mirror; please report it' });
    out.push(decoded.slice(prefix.length));
  }
  return out;
}

function aptMessage(error: { stderr?: unknown; stdout?: unknown; shortMessage?: string }): string {
  const text = `${String(error.stderr ?? '')}\n${String(error.stdout ?? '')}`;
  // apt's own words, without control bytes, bounded
  const lines = text.replace(/[^\x20-\x7e\n]/g, '').split('\n').filter((line) => /^(E:|W:| )/.test(line)).slice(0, 20);
  return lines.length > 0 ? lines.join('\n') : (error.shortMessage ?? 'apt-get failed');
}

/** The pool files (relative paths) apt downloads to install each set; the union, sorted. */
export async function resolvePoolFiles(source: AptSource, sets: readonly (readonly string[])[]): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'metalboot-apt-'));
  try {
    for (const sub of ['state', 'lists/partial', 'cache/archives/partial', 'etc/apt.conf.d', 'etc/sources.list.d', 'etc/preferences.d', 'etc/trusted.gpg.d']) {
      await mkdir(join(dir, sub), { recursive: true });
    }
    await writeFile(join(dir, 'status'), '');
    await writeFile(join(dir, 'apt.conf'), renderAptConfig(dir, source.debArch));
    await writeFile(join(dir, 'etc', 'sources.list'), renderSourcesList(source));
    const env = { APT_CONFIG: join(dir, 'apt.conf'), LC_ALL: 'C.UTF-8' };
    const run = async (args: string[]): Promise<string> => {
      try {
        return (await execa('apt-get', args, { env, timeout: 300_000, maxBuffer: 64 << 20 })).stdout;
      } catch (error) {
        if ((error as { code?: string }).code === 'ENOENT') throw new BuildError('apt-get is not installed: metalboot mirror resolves dependencies with it', { hint: 'run metalboot mirror on a Debian or Ubuntu host (apt)' });
        throw new BuildError(`apt-get ${args[0] === 'update' ? 'could not read the new mirror\'s indexes' : 'could not resolve the packages the install needs'}:\n${aptMessage(error as object)}`, { cause: error, hint: 'the suite lacks a package the preseed names, or its indexes are inconsistent' });
      }
    };
    await run(['-q', 'update']);
    const files = new Set<string>();
    for (const names of sets) {
      const out = await run(['install', '-qq', '--print-uris', '--yes', '--no-remove', '--', ...names]);
      for (const path of parsePrintUris(out, source.root)) files.add(path);
    }
    return [...files].sort();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
