export { createRedfishSimulator } from './app.js';
export type { RedfishSimulator, RedfishSimulatorOptions, SimRequest } from './app.js';
export type { BootInfo, BootTarget, RedfishSimHooks, SimSystem, SimSystemSeed, SimTimings } from './world.js';
export type { FaultRule, FaultKind, SimOperation } from './faults.js';
export { parseFault } from './faults.js';
export type { Quirks } from './profiles.js';
export { PROFILES, quirksOf } from './profiles.js';
export type { ListenOptions } from './listen.js';
export { parseSystemSeeds } from './seeds.js';
