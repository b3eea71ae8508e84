/**
 * The serial console a BMC advertises: the system's SerialConsole (SSH / IPMI / Telnet, ComputerSystem
 * ≥ v1_13_0), else the manager's (ConnectTypesSupported). Pure: text to print and, for SSH, argv.
 */
import { clean } from './errors.js';

type Json = Record<string, unknown>;

export interface ConsoleAccess {
  readonly lines: readonly string[];
  readonly ssh?: { readonly file: 'ssh'; readonly args: readonly string[] };
}

export function consoleAccess(input: { bmcUrl: string; username: string; system: Json; manager?: Json }): ConsoleAccess {
  const host = new URL(input.bmcUrl).hostname.replace(/^\[|\]$/g, '');
  const user = clean(input.username);
  const lines: string[] = [];
  let ssh: ConsoleAccess['ssh'];
  const serial = (input.system.SerialConsole ?? {}) as Record<string, Json | undefined>;
  const portOf = (protocol: Json | undefined, fallback: number) => (typeof protocol?.Port === 'number' ? protocol.Port : fallback);
  const sshInfo = serial.SSH;
  if (sshInfo?.ServiceEnabled === true) {
    const port = portOf(sshInfo, 22);
    const entry = typeof sshInfo.ConsoleEntryCommand === 'string' && sshInfo.ConsoleEntryCommand !== '' ? clean(sshInfo.ConsoleEntryCommand) : undefined;
    const args = ['-p', String(port), '-l', user, host, ...(entry ? [entry] : [])];
    ssh = { file: 'ssh', args };
    const exit = typeof sshInfo.HotKeySequenceDisplay === 'string' ? ` (${clean(sshInfo.HotKeySequenceDisplay)})` : '';
    lines.push(`SSH: ssh ${args.join(' ')}${sshInfo.SharedWithManagerCLI === true ? ' — shared with the BMC command line' : ''}${exit}`);
  }
  const ipmi = serial.IPMI;
  if (ipmi?.ServiceEnabled === true) lines.push(`IPMI Serial-over-LAN: ipmitool -I lanplus -H ${host} -p ${portOf(ipmi, 623)} -U ${user} -E sol activate (password in $IPMI_PASSWORD)`);
  const telnet = serial.Telnet;
  if (telnet?.ServiceEnabled === true) lines.push(`Telnet: telnet ${host} ${portOf(telnet, 23)}`);
  const managerSerial = (input.manager?.SerialConsole ?? {}) as Json;
  const types = Array.isArray(managerSerial.ConnectTypesSupported) ? managerSerial.ConnectTypesSupported.filter((t): t is string => typeof t === 'string').map(clean) : [];
  if (lines.length === 0 && managerSerial.ServiceEnabled === true && types.length > 0) {
    lines.push(`the BMC offers a serial console over ${types.join(', ')} through its own command line`);
    if (types.includes('SSH')) ssh = { file: 'ssh', args: ['-l', user, host] };
    if (ssh) lines.push(`SSH: ssh -l ${user} ${host} (then the BMC's console command)`);
  }
  if (lines.length === 0) lines.push('the BMC advertises no serial console (neither the system nor its manager has SerialConsole enabled)');
  return { lines, ...(ssh ? { ssh } : {}) };
}
