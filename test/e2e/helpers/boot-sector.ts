/**
 * A disk whose MBR holds a tiny boot loader (16-bit real mode at 0x7c00): it writes MARKER to COM2
 * (0x2f8, the VM's ttyS1), waits for the UART to drain, and resets the machine through the
 * keyboard controller (port 0x64 ← 0xfe). What a VM prints from it can only come from the disk.
 */
import { writeFile } from 'node:fs/promises';
import { execa } from 'execa';

export const MARKER = 'METALBOOT-DISK-BOOT';

/** An MBR boot sector (16-bit real mode at 0x7c00): write MARKER to COM2 (0x2f8), reset via port 0x64. */
export function bootSector(): Buffer {
  const code = [
    0xfa, // 00 cli
    0x31, 0xc0, 0x8e, 0xd8, // 01 xor ax,ax; mov ds,ax
    0xbe, 0x24, 0x7c, // 05 mov si, 0x7c24 (the message, after the code)
    0xba, 0xf8, 0x02, // 08 mov dx, 0x2f8
    0xac, 0x84, 0xc0, 0x74, 0x03, 0xee, 0xeb, 0xf8, // 0b lodsb; test al,al; jz +3; out dx,al; jmp -8
    0x66, 0xb9, 0x00, 0x00, 0x00, 0x04, 0x66, 0x49, 0x75, 0xfc, // 13 mov ecx,0x4000000; dec ecx; jnz -4 (let the UART drain)
    0xb0, 0xfe, 0xe6, 0x64, // 1d mov al,0xfe; out 0x64,al (pulse the reset line)
    0xf4, 0xeb, 0xfd, // 21… hlt; jmp -3
  ];
  const sector = Buffer.alloc(512);
  Buffer.from(code).copy(sector, 0);
  Buffer.from(`${MARKER}\r\n\0`, 'latin1').copy(sector, code.length);
  sector[510] = 0x55;
  sector[511] = 0xaa;
  return sector;
}


/** Writes a qcow2 disk at `qcow2` holding the boot sector (1 MiB; `raw` is a scratch file). */
export async function writeBootDisk(raw: string, qcow2: string): Promise<void> {
  await writeFile(raw, Buffer.concat([bootSector(), Buffer.alloc(1024 * 1024 - 512)]));
  await execa('qemu-img', ['convert', '-q', '-f', 'raw', '-O', 'qcow2', raw, qcow2]);
}
