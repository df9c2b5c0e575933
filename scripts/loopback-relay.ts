// `tsx scripts/loopback-relay.ts <port>...` — makes a server that binds 127.0.0.1 only reachable from other
// containers. The emulators always bind 127.0.0.1 (they are test doubles, never meant to face a network), so in
// docker-compose this runs as a sidecar sharing the emulator's network namespace (`network_mode: service:…`) and
// forwards the same port on the container's own addresses to 127.0.0.1. Linux allows a listener on a specific
// address next to the loopback listener of the same port, so callers use the plain `http://<service>:<port>`.
import net from 'node:net';
import { networkInterfaces } from 'node:os';
import { runMain, UserError } from '../platform/errors';

/** The container's non-loopback IPv4 addresses: what the service name resolves to on the compose network. */
export function externalAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((a) => a.family === 'IPv4' && !a.internal)
    .map((a) => a.address);
}

export function relay(host: string, port: number): Promise<net.Server> {
  const server = net.createServer((inbound) => {
    const outbound = net.connect({ host: '127.0.0.1', port });
    inbound.pipe(outbound).pipe(inbound);
    // Either side failing ends both: a half-open pair would hang the caller until its own timeout.
    const close = () => {
      inbound.destroy();
      outbound.destroy();
    };
    inbound.on('error', close);
    outbound.on('error', close);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
}

async function main(): Promise<void> {
  const ports = process.argv.slice(2).map(Number);
  if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
    throw new UserError('usage: loopback-relay <port>...');
  }
  const hosts = externalAddresses();
  if (hosts.length === 0) throw new UserError('no non-loopback IPv4 address to listen on');
  const servers = await Promise.all(hosts.flatMap((host) => ports.map((port) => relay(host, port))));
  console.log(`loopback-relay: ${hosts.join(', ')} → 127.0.0.1 on port(s) ${ports.join(', ')}`);
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', resolve);
    process.once('SIGINT', resolve);
  });
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
}

if (require.main === module) runMain(main);
