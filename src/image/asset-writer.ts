/** Kept for importers of the old location: the writer now lives in store.ts. */
export { streamToTmp } from './store.js';
export type { StreamedAsset } from './store.js';
