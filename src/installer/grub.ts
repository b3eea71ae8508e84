/**
 * GRUB's terminal settings for an installed system, from the console of the device's kernel line
 * (src/ipxe/kernel-line.ts): GRUB talks on the kernel's serial port at the kernel's speed. Pure.
 */
import { serialConsole } from '../ipxe/kernel-line.js';

/** Lines for /etc/default/grub: serial + console on the kernel's serial port, else the plain console. */
export function grubTerminalLines(console: readonly string[]): string[] {
  const port = serialConsole(console);
  if (!port) return ['GRUB_TERMINAL="console"'];
  return [
    'GRUB_TERMINAL="serial console"',
    `GRUB_SERIAL_COMMAND="serial --unit=${port.unit} --speed=${port.speed} --word=${port.word} --parity=${port.parity} --stop=1"`,
  ];
}
