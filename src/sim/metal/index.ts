export { createMetalSimulator, SIM_BASE_PATH } from './app.js';
export type { MetalSimulator, MetalSimulatorOptions, SimRequest } from './app.js';
export { SIM_STATES } from './devices.js';
export type { SimDevice, SimDeviceSeed, SimState } from './devices.js';
export type { FaultRule, SimOperation } from './faults.js';
export type { BootReason, SimHooks, SimTimings } from './world.js';
export { loadSpec, specPath } from './spec.js';
