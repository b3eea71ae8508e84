/**
 * What a reload (SIGHUP) may not change: a config caught mid-write (empty or cut short) parses as
 * valid but has no devices and falls back to the default state_dir. Such a reload is refused, with
 * the reason, and the running config keeps serving. Pure.
 */
import type { Config } from '../config/types.js';

/** Why `next` may not replace `current`, or undefined when it may. */
export function reloadRefusal(current: Config, next: Config): string | undefined {
  if (next.server.stateDir !== current.server.stateDir) {
    return `it changes server.state_dir from ${current.server.stateDir} to ${next.server.stateDir} (restart the server to move the store)`;
  }
  const before = Object.keys(current.devices).length;
  if (before > 0 && Object.keys(next.devices).length === 0) {
    return `it has no devices (the running config has ${before}): the file may have been caught mid-write`;
  }
  return undefined;
}
