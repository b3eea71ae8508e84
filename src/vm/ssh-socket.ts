/**
 * A VM's SSH is a unix socket on the host (vm.ts `sshSocket`); the OpenSSH client wants a host and
 * port. This listens on an ephemeral loopback port and pipes each connection to the socket, for
 * as long as the ssh client runs.
 */
import { createConnection, createServer } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface SocketPort {
  readonly port: number;
  close(): Promise<void>;
}

export async function loopbackPortFor(socketPath: string): Promise<SocketPort> {
  const server = createServer((client) => {
    const vm = createConnection(socketPath);
    client.pipe(vm);
    vm.pipe(client);
    client.on('error', () => vm.destroy());
    vm.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
