/** Per-device data for RAM images (contract C): device.json and the second-initrd cpio that carries it. */
export { DEVICE_DATA_PATH, DEVICE_DATA_SCHEMA, buildDeviceData, renderDeviceJson } from './device-json.js';
export type { DeviceData, DeviceDataInput } from './device-json.js';
export { deviceDataEntries, renderDeviceDataCpio } from './cpio.js';
