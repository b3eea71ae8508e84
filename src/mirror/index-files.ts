/**
 * The suite files a partial mirror keeps verbatim (Debian's signed InRelease, Release, Release.gpg
 * and the indexes they list), for the image's architectures. Pure. Every component's indexes are
 * kept: the installer's net-retriever reads the debian-installer Packages of every component the
 * Release names, and apt in the target reads main and non-free-firmware (the bookworm default).
 */
import type { FileWant } from './fetch.js';
import type { ReleaseInfo } from './release.js';

export const RELEASE_FILES = ['InRelease', 'Release', 'Release.gpg'] as const;

const PER_ARCH = ['binary-{arch}/Packages.xz', 'binary-{arch}/Packages.gz', 'binary-{arch}/Release',
  'debian-installer/binary-{arch}/Packages.xz', 'debian-installer/binary-{arch}/Packages.gz', 'debian-installer/binary-{arch}/Release'];
const PER_COMPONENT = ['i18n/Translation-en.xz', 'i18n/Translation-en.bz2'];

export function suiteDir(release: string): string {
  return `dists/${release}`;
}

/** Index files under dists/<release>/ that Release lists, with their signed sums. */
export function indexFiles(info: ReleaseInfo, release: string, debArches: readonly string[]): FileWant[] {
  const out: FileWant[] = [];
  for (const component of info.components) {
    const names = [...debArches.flatMap((arch) => PER_ARCH.map((name) => name.replace('{arch}', arch))), ...PER_COMPONENT];
    for (const name of names) {
      const relative = `${component}/${name}`;
      const sum = info.sums.get(relative);
      if (sum) out.push({ path: `${suiteDir(release)}/${relative}`, ...sum });
    }
  }
  return out;
}

/** The by-hash twin apt fetches when the Release says Acquire-By-Hash: yes. */
export function byHashPath(file: FileWant): string {
  const slash = file.path.lastIndexOf('/');
  return `${file.path.slice(0, slash)}/by-hash/SHA256/${file.sha256}`;
}

/** The Packages index apt and the selection read for one component/arch (xz preferred, gz else). */
export function packagesIndex(files: readonly FileWant[], release: string, component: string, flavour: 'binary' | 'debian-installer', debArch: string): FileWant | undefined {
  const base = `${suiteDir(release)}/${component}/${flavour === 'binary' ? '' : 'debian-installer/'}binary-${debArch}/Packages`;
  return files.find((file) => file.path === `${base}.xz`) ?? files.find((file) => file.path === `${base}.gz`);
}
