/**
 * GRUB's terminal settings for an installed system, from the console of the kernel line
 * (src/ipxe/kernel-line.ts): the last `console=ttyS<unit>,<speed><parity><bits>` becomes GRUB's
 * serial terminal, so GRUB and the kernel talk on the same port at the same speed. Pure.
 */

export interface SerialPort {
  readonly unit: number;
  readonly speed: number;
  readonly parity: 'no' | 'odd' | 'even';
  readonly word: number;
}

const PARITY = { n: 'no', o: 'odd', e: 'even' } as const;

/** The serial port of a `console=ttyS…` argument (the kernel's defaults: 9600 baud, n8), or undefined. */
export function serialPortOf(arg: string): SerialPort | undefined {
  const match = /^console=ttyS(\d+)(?:,(\d+)([noe])?([5-8])?)?$/.exec(arg);
  if (!match) return undefined;
  return {
    unit: Number(match[1]),
    speed: match[2] === undefined ? 9600 : Number(match[2]),
    parity: PARITY[(match[3] ?? 'n') as keyof typeof PARITY],
    word: match[4] === undefined ? 8 : Number(match[4]),
  };
}

/** Lines for /etc/default/grub: serial + console on the kernel's serial port, else the plain console. */
export function grubTerminalLines(console: readonly string[]): string[] {
  const port = [...console].reverse().map(serialPortOf).find((found) => found !== undefined);
  if (!port) return ['GRUB_TERMINAL="console"'];
  return [
    'GRUB_TERMINAL="serial console"',
    `GRUB_SERIAL_COMMAND="serial --unit=${port.unit} --speed=${port.speed} --word=${port.word} --parity=${port.parity} --stop=1"`,
  ];
}
