export * from './cpio.js';
export * from './cpio-reader.js';
export * from './compression.js';
export * from './compose.js';
export * from './fs-entries.js';
export * from './gzip.js';
export * from './microcode.js';
export * from './root-entries.js';
