/**
 * The AlmaLinux 9 (RHEL 9 Anaconda) kickstart commands and options our template may use, written
 * down from the RHEL 9 "Kickstart commands and options reference" (Performing an advanced RHEL 9
 * installation, appendix B). Options taking a value are listed with a trailing '='.
 * A deliberately partial list: only commands an unattended bare-metal install needs.
 */
export const KICKSTART_COMMANDS: Readonly<Record<string, readonly string[]>> = {
  text: ['--non-interactive'],
  lang: ['--addsupport='],
  keyboard: ['--vckeymap=', '--xlayouts=', '--switch='],
  timezone: ['--utc', '--isUtc', '--nontp', '--ntpservers='],
  firstboot: ['--enable', '--enabled', '--disable', '--disabled', '--reconfig'],
  selinux: ['--enforcing', '--permissive', '--disabled'],
  firewall: ['--enabled', '--enable', '--disabled', '--disable', '--ssh', '--service=', '--port=', '--trust=', '--remove-service=', '--use-system-defaults'],
  rootpw: ['--iscrypted', '--plaintext', '--lock', '--allow-ssh'],
  sshkey: ['--username='],
  zerombr: [],
  clearpart: ['--all', '--initlabel', '--drives=', '--list=', '--linux', '--none', '--disklabel=', '--cdl'],
  autopart: ['--type=', '--fstype=', '--nolvm', '--encrypted', '--nohome', '--noboot', '--noswap', '--passphrase='],
  bootloader: ['--append=', '--location=', '--boot-drive=', '--timeout=', '--password=', '--iscrypted', '--driveorder=', '--leavebootorder', '--nombr', '--disabled'],
  network: [
    '--device=', '--bootproto=', '--bondslaves=', '--bondopts=', '--hostname=', '--activate', '--no-activate', '--onboot=',
    '--ip=', '--netmask=', '--gateway=', '--nameserver=', '--noipv4', '--noipv6', '--ipv6=', '--mtu=', '--bindto=',
    '--nodefroute', '--vlanid=', '--interfacename=', '--teamslaves=', '--teamconfig=', '--bridgeslaves=', '--bridgeopts=',
    '--dhcpclass=', '--ethtool=', '--nodns', '--ipv6gateway=',
  ],
  url: ['--url=', '--mirrorlist=', '--metalink=', '--noverifyssl', '--proxy='],
  reboot: ['--eject', '--kexec'],
  '%include': [],
};

/** Section headers and their options. */
export const KICKSTART_SECTIONS: Readonly<Record<string, readonly string[]>> = {
  '%pre': ['--interpreter=', '--erroronfail', '--log='],
  '%post': ['--interpreter=', '--nochroot', '--erroronfail', '--log='],
  '%packages': ['--ignoremissing', '--excludedocs', '--nocore', '--inst-langs=', '--exclude-weakdeps'],
};

/** Bonding options Anaconda passes to NetworkManager (the kernel bonding driver's names). */
export const BOND_OPTIONS = ['mode', 'lacp_rate', 'miimon', 'xmit_hash_policy', 'primary', 'fail_over_mac', 'updelay', 'downdelay'];

/** Splits a command line into words, honoring double quotes (as pykickstart's shlex does). */
export function splitWords(line: string): string[] {
  const words: string[] = [];
  let current = '';
  let quoted = false;
  let started = false;
  for (const char of line) {
    if (char === '"') {
      quoted = !quoted;
      started = true;
    } else if (/\s/.test(char) && !quoted) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += char;
      started = true;
    }
  }
  if (quoted) throw new Error(`unbalanced quote in: ${line}`);
  if (started) words.push(current);
  return words;
}

/** Problems with one command line (empty when it is valid). */
export function checkCommand(line: string, table: Readonly<Record<string, readonly string[]>> = KICKSTART_COMMANDS): string[] {
  const [command, ...args] = splitWords(line);
  if (command === undefined) return [];
  const allowed = table[command];
  if (!allowed) return [`unknown command ${command}`];
  const problems: string[] = [];
  for (const arg of args) {
    if (!arg.startsWith('--')) continue;
    const [name, ...value] = arg.split('=');
    const takesValue = allowed.includes(`${name}=`);
    if (!takesValue && !allowed.includes(name!)) problems.push(`${command}: unknown option ${name}`);
    else if (takesValue && value.join('=') === '') problems.push(`${command}: option ${name} needs a value`);
    else if (!takesValue && value.length > 0) problems.push(`${command}: option ${name} takes no value`);
  }
  return problems;
}

/** Checks a whole kickstart: commands outside sections, section headers, and `network` lines echoed by %pre. */
export function checkKickstart(text: string): string[] {
  const problems: string[] = [];
  let section: string | undefined;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (line === '%end') {
      if (!section) problems.push('%end without a section');
      section = undefined;
      continue;
    }
    const head = line.split(/\s+/)[0]!;
    if (head in KICKSTART_SECTIONS) {
      if (section) problems.push(`${head} inside ${section}`);
      section = head;
      problems.push(...checkCommand(line, KICKSTART_SECTIONS));
      continue;
    }
    if (section === '%pre') {
      const echoed = /^echo "(network .*)" >/.exec(line);
      if (echoed) problems.push(...checkCommand(echoed[1]!.replace('${slaves#,}', 'eno1,eno2')));
      continue;
    }
    if (section) continue;
    problems.push(...checkCommand(line));
  }
  if (section) problems.push(`${section} is not closed with %end`);
  return problems;
}
