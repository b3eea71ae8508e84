/**
 * The program that runs INSIDE the VM's private network namespace (`unshare -n`), as `node -e`.
 * It is kept as source text so it runs the same from src/ (tsx, vitest) and from dist/ without a
 * loader or a copied .js file, and it uses only Node built-ins.
 *
 * It brings the namespace's loopback up, listens on 127.0.0.1:<guestPort> for each forward and
 * pipes every connection to a unix socket on the host file system (where the metalboot server
 * listens), then runs QEMU. QEMU user networking maps the guest's 10.0.2.2 to this loopback, so the
 * guest can reach those ports and nothing else: no packet can leave the machine.
 *
 * Lifetime: it exits with QEMU's exit code; it kills QEMU when it gets SIGTERM/SIGINT/SIGHUP and
 * when its stdin closes (the parent died, even by SIGKILL), so QEMU never outlives metalboot.
 *
 * It can also run another program than QEMU (e.g. the metalboot CLI, for tests and the demo), add
 * addresses to the loopback (`10.0.2.2/32`, so that program sees the server where a VM sees it),
 * and bind a forward to one of those addresses.
 *
 * The other way round, `exposes` makes a port inside the namespace (e.g. QEMU's forward of the
 * guest's SSH port) reachable from the host: the relay listens on a unix socket on the host file
 * system (path sockets are not bound to a network namespace) and pipes each connection to
 * 127.0.0.1:<port> in the namespace.
 *
 * argv[1]: JSON { ip, addresses?: string[], forwards: {guestPort, socketPath, host?}[],
 * exposes?: {socketPath, port}[], watchStdin, qemu: {file, args} }.
 */
export const RELAY_SCRIPT = String.raw`'use strict';
const net = require('node:net');
const { execFileSync, spawn } = require('node:child_process');
const cfg = JSON.parse(process.argv[1]);
let qemu;
const stopQemu = (signal) => {
  if (qemu && qemu.exitCode === null && qemu.signalCode === null) qemu.kill(signal);
  else process.exit(143);
};
for (const sig of ['SIGTERM', 'SIGINT', 'SIGHUP']) process.on(sig, () => stopQemu('SIGTERM'));
if (cfg.watchStdin) {
  process.stdin.on('end', () => stopQemu('SIGKILL'));
  process.stdin.on('error', () => stopQemu('SIGKILL'));
  process.stdin.resume();
}
try {
  execFileSync(cfg.ip, ['link', 'set', 'lo', 'up'], { stdio: ['ignore', 'inherit', 'inherit'] });
  for (const address of cfg.addresses || []) {
    execFileSync(cfg.ip, ['addr', 'add', address, 'dev', 'lo'], { stdio: ['ignore', 'inherit', 'inherit'] });
  }
} catch (e) {
  process.stderr.write('metalboot relay: cannot bring up loopback in the network namespace: ' + e.message + '\n');
  process.exit(125);
}
const listen = (f) => new Promise((resolve, reject) => {
  const server = net.createServer((guest) => {
    const host = net.connect(f.socketPath);
    guest.pipe(host);
    host.pipe(guest);
    guest.on('error', () => host.destroy());
    host.on('error', (e) => {
      process.stderr.write('metalboot relay: ' + f.socketPath + ': ' + e.message + '\n');
      guest.destroy();
    });
  });
  server.on('error', reject);
  server.listen(f.guestPort, f.host || '127.0.0.1', () => resolve(server));
});
const expose = (x) => new Promise((resolve, reject) => {
  try { require('node:fs').unlinkSync(x.socketPath); } catch {}
  const server = net.createServer((client) => {
    const inside = net.connect(x.port, '127.0.0.1');
    client.pipe(inside);
    inside.pipe(client);
    client.on('error', () => inside.destroy());
    inside.on('error', () => client.destroy());
  });
  server.on('error', reject);
  server.listen(x.socketPath, () => resolve(server));
});
Promise.all([...cfg.forwards.map(listen), ...(cfg.exposes || []).map(expose)]).then(() => {
  qemu = spawn(cfg.qemu.file, cfg.qemu.args, { stdio: ['ignore', 'inherit', 'inherit'] });
  qemu.on('error', (e) => {
    process.stderr.write('metalboot relay: cannot run ' + cfg.qemu.file + ': ' + e.message + '\n');
    process.exit(127);
  });
  qemu.on('exit', (code, signal) => {
    if (signal) process.stderr.write('metalboot relay: qemu ended by ' + signal + '\n');
    process.exit(code === null ? 137 : code);
  });
}, (e) => {
  process.stderr.write('metalboot relay: cannot listen in the namespace: ' + e.message + '\n');
  process.exit(124);
});
`;
