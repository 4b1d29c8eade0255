// What one socket.write() costs in JS beyond the kernel: Node's Writable state machine (buffering, callbacks on
// the next tick, 'drain') and the `await once(socket, "drain")` the experiment's read-write loop does when
// write() returns false. Timed with a Writable whose _write does nothing, so no kernel work is in it; the
// binding call into libuv is calibrated apart (syscall-from-js).
import { Writable } from "stream";
import { once } from "events";
import { Measurement, measurementOf, nowSeconds } from "./measurement";

/** Writes `count` times `block` into a no-op Writable, waiting for 'drain' whenever write() says so. */
async function writeLoop(block: Buffer, count: number): Promise<number> {
  let written = 0;
  // a net.Socket's default highWaterMark (16 KiB): a 64 KiB write returns false every time, as on the socket
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write(data: Buffer, _encoding, done) {
      written += data.length;
      done();
    },
  });
  for (let i = 0; i < count; i++) if (!sink.write(block)) await once(sink, "drain");
  sink.end();
  return written;
}

/** Wall seconds per write of a `chunk` block into a no-op Writable with drain waits, `count` per run, median of `runs`. */
export async function measureJsWrite(chunk: number, count: number, runs: number): Promise<Measurement> {
  const block = Buffer.alloc(chunk, 1);
  await writeLoop(block, Math.min(count, 1000)); // untimed warm-up: JIT
  const values: number[] = [];
  for (let run = 0; run < runs; run++) {
    const t0 = nowSeconds();
    const written = await writeLoop(block, count);
    values.push((nowSeconds() - t0) / count);
    if (written !== count * chunk) throw new Error(`no-op Writable saw ${written} of ${count * chunk} bytes`);
  }
  return measurementOf(
    "js-write",
    "s/write",
    values,
    `Writable.write of a ${chunk}-byte block into a no-op Writable (highWaterMark 16 KiB), awaiting 'drain' when asked, ${count} per run, median of ${runs}`,
  );
}
