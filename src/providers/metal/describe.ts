/** How a recorded call looks as a Metal API request (for --dry-run). Pure. */
import type { CallRecord } from '../../reimage/types.js';

const SNAKE: Readonly<Record<string, string>> = {
  alwaysPxe: 'always_pxe',
  ipxeScriptUrl: 'ipxe_script_url',
  userdata: 'userdata',
  operatingSystem: 'operating_system',
  deprovisionFast: 'deprovision_fast',
  preserveData: 'preserve_data',
};

function snake(args: Readonly<Record<string, unknown>> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(args ?? {})) out[SNAKE[key] ?? key] = value;
  return out;
}

export function describeMetalCall(call: CallRecord): string {
  const path = `/devices/${call.device}`;
  if (call.call === 'update') return `PUT ${path} ${JSON.stringify(snake(call.args))}`;
  return `POST ${path}/actions ${JSON.stringify({ type: call.call, ...snake(call.args) })}`;
}
