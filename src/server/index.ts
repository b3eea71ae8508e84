export { createApp } from './app.js';
export type { MetalbootApp } from './app.js';
export type { AppDeps } from './context.js';
export { ServerContext } from './context.js';
export { startServer, DEFAULT_DRAIN_MS } from './start.js';
export type { RunningServer, StartOptions } from './start.js';
export { createLogger, redactUrl } from './logging.js';
