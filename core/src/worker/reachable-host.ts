import { createSocket } from 'node:dgram';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/**
 * The local IP address on the interface that routes to `address` (a ws:// URL): the address peers
 * and clients on the scheduler's network can reach this process at.
 *
 * #### Notes
 * A connected UDP socket makes the kernel choose the route without sending a packet.
 */
export async function addressFacing(address: string): Promise<string> {
  const url = new URL(address);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (LOOPBACK.has(host)) return '127.0.0.1';
  const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(Number(url.port) || 80, host, () => resolve());
    });
    return socket.address().address;
  } finally {
    socket.close();
  }
}
