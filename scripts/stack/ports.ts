// Ports for the stack: free ones for what nobody connects to from outside, and a clear error for a given one
// that something else holds.
import net from 'node:net';
import { freePort } from '../../platform/dev-server';
import { UserError } from '../../platform/errors';

function isFree(port: number): Promise<boolean> {
  return new Promise<boolean>((resolve) => {
    const probe = net.createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

export async function assertPortFree(port: number, what: string): Promise<void> {
  if (!(await isFree(port)))
    throw new UserError(`port ${port} for ${what} is in use: stop what listens there, or choose another port.`);
}

/** `n` free ports, all different (the system may hand the same free port out twice in a row). */
export async function distinctFreePorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  while (ports.size < n) ports.add(await freePort());
  return [...ports];
}

/**
 * `n` free ports below 32768, all different. The Temporal server stores its services' ports in PostgreSQL as a
 * smallint (cluster_membership), so a port from the system's ephemeral range (32768 and up) stops it at start.
 */
export async function distinctFreeServerPorts(n: number): Promise<number[]> {
  const ports = new Set<number>();
  for (let tries = 0; ports.size < n; tries++) {
    if (tries > 2000) throw new UserError('found no free ports between 20000 and 32767 for the Temporal server');
    const port = 20_000 + Math.floor(Math.random() * 12_768);
    if (!ports.has(port) && (await isFree(port))) ports.add(port);
  }
  return [...ports];
}
