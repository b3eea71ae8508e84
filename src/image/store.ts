/**
 * The content-addressed image store under `server.state_dir`: its layout (store/layout.ts names
 * every directory), hash-while-write (store/hashing.ts), assets (store/assets.ts) and manifests
 * (store/manifests.ts). Everything outside the store imports it from here.
 */
export {
  ASSET_NAME, SHA256_HEX, assetFile, assetsDir, cacheDir, cacheFile, imagesDir, linuxkitBuildDir, linuxkitTarballDir,
  manifestFile, tmpDir, tmpPath,
} from './store/layout.js';
export { HashingWriter, copyFileInto, sha256File } from './store/hashing.js';
export type { Hashed } from './store/hashing.js';
export { addAssetFromFile, checkAssetName, commitAsset, streamToTmp, writeToTmp } from './store/assets.js';
export type { StreamedAsset } from './store/assets.js';
export { readManifest, writeManifest } from './store/manifests.js';
export { removeStaleTmp } from './store/stale-tmp.js';
export type { StaleTmpResult } from './store/stale-tmp.js';
