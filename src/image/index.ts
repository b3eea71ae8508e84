/** The image builders' public surface (for the CLI, the server, push and boot-test). */
export { buildImage, isInstaller } from './build.js';
export type { BuildOptions, BuildResult } from './build.js';
export type { DownloadProgress } from './download.js';
export { DEBIAN_ARCH, debianCmdline } from './debian.js';
export { ALMA_ARCH, almaCmdline } from './alma.js';
export { EARLY_MARKER } from './debian-preseed.js';
export { addAssetFromSegments } from './segment-writer.js';
