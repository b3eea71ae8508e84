/**
 * The route table: every URL the server answers, in one list. `createApp` builds the router from
 * it; docs/serve.md lists the same routes for people, and test/server/one-path.test.ts sends a
 * request to each through the listener `startServer` uses.
 */
import type { Route } from './route.js';
import { assetUploadRoute } from './routes/asset-upload.js';
import { assetsRoute } from './routes/assets.js';
import { chainScriptRoute } from './routes/chain-script.js';
import { deviceEventsRoute } from './routes/device-events.js';
import { deviceScriptRoute } from './routes/device-script.js';
import { eventStreamRoute } from './routes/event-stream.js';
import { healthzRoute } from './routes/healthz.js';
import { kickstartRoute, preseedRoute } from './routes/installer.js';
import { manifestUploadRoute } from './routes/manifest-upload.js';
import { mirrorRoute } from './routes/mirror.js';
import { osFilesRoute } from './routes/os-files.js';
import { phoneHomeRoute } from './routes/phone-home.js';

export const ROUTES: readonly Route[] = [
  assetsRoute,
  mirrorRoute,
  osFilesRoute,
  chainScriptRoute,
  deviceScriptRoute,
  preseedRoute,
  kickstartRoute,
  phoneHomeRoute,
  deviceEventsRoute,
  eventStreamRoute,
  assetUploadRoute,
  manifestUploadRoute,
  healthzRoute,
];
