export { renderDeviceScript, DEFAULT_RETRIES, DEFAULT_RETRY_DELAY, EFI_INITRD_NAME } from './device-script.js';
export type { RenderDeviceInput } from './device-script.js';
export { renderChainScript } from './chain-script.js';
export { scriptUrls } from './script-urls.js';
export { deviceUrls, chainScriptUrl, assetUrl } from './urls.js';
export type { DeviceUrls } from './urls.js';
export { escapeKernelArg, argumentProblem } from './escape.js';
export { renderForDevice, renderScriptFor } from './for-device.js';
