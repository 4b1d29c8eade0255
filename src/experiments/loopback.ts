// The client end of every loopback experiment: a TCP connection to 127.0.0.1 with Nagle off.
import * as net from "net";

/** Connects to 127.0.0.1:port; Nagle off, since a small header or ack must not wait for a delayed ACK (40 ms). */
export async function connectLoopback(port: number): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  socket.setNoDelay(true);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", resolve);
    socket.once("error", reject);
  });
  return socket;
}

/** Resolves with everything the peer writes back before it closes its side ("done\n" from the receiver). */
export function replyOf(socket: net.Socket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.on("data", (d: Buffer) => (text += d.toString()));
    socket.once("end", () => resolve(text));
    socket.once("error", reject);
  });
}
