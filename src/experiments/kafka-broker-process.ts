// Parent side of the broker child: start it, wait until it listens, ask it for stats, sample its I/O
// from /proc/<pid>/io, stop it cleanly (SIGTERM) or kill -9 it. Tracked for cleanup like every child.
import * as path from "path";
import { startChild, ChildHandle, ChildOptions } from "../cleanup/child-process";
import { readProcIo, ProcIo } from "./proc-io";
import type { BrokerStats } from "../kafka/broker/broker";
import type { RecoveryReport } from "../kafka/log/log-manager";
import type { BrokerChildConfig, FromBrokerChild, ToBrokerChild } from "./kafka-child-messages";

export interface KafkaBrokerProcess {
  pid: number;
  port: number;
  bootstrap: string;
  recovery: RecoveryReport;
  /** The broker's log lines so far. */
  logLines: string[];
  stats(): Promise<BrokerStats>;
  /** /proc/<pid>/io: syscalls and bytes really read from disk by the broker. */
  io(): ProcIo;
  /** SIGTERM: flush, indexes, checkpoint, clean-shutdown marker; resolves when it has exited. */
  stop(): Promise<void>;
  /** SIGKILL: what a crash leaves; resolves when it has exited. */
  kill9(): Promise<void>;
}

/** Starts a broker child with `config` (on a free port unless `config.port` says otherwise); rejects with its one-line error if it cannot start. `options.launcher`
 *  starts it through another command (inside a network namespace: link/namespace-exec.ts). */
export async function spawnKafkaBroker(config: BrokerChildConfig, timeoutMs = 60_000, options: ChildOptions = {}): Promise<KafkaBrokerProcess> {
  const handle: ChildHandle<ToBrokerChild, FromBrokerChild> = startChild(path.join(__dirname, "kafka-broker-child.ts"), "kafka broker", options);
  const logLines: string[] = [];
  handle.child.on("message", (m) => {
    const message = m as FromBrokerChild;
    if (message.type === "log") logLines.push(message.line);
  });
  const send = (message: ToBrokerChild) => handle.send(message);
  // An experiment's broker takes a free port unless told one: 9092 may be a reader's own broker.
  send({ type: "start", config: { port: 0, ...config } });
  let listening: FromBrokerChild;
  try {
    listening = await handle.next(["listening", "failed"], timeoutMs, "its listening message");
  } catch (error) {
    await handle.stop();
    throw error;
  }
  if (listening.type !== "listening") {
    await handle.stop();
    throw new Error(`broker did not start: ${(listening as { message: string }).message}`);
  }
  let nextId = 1;
  const pid = handle.child.pid!;
  const exited = () => handle.child.exitCode !== null || handle.child.signalCode !== null;
  const waitExit = () => (exited() ? Promise.resolve() : new Promise<void>((resolve) => handle.child.once("exit", () => resolve())));
  return {
    pid,
    port: listening.port,
    bootstrap: `${listening.host}:${listening.port}`,
    recovery: listening.recovery,
    logLines,
    async stats() {
      const id = nextId++;
      send({ type: "stats", id });
      const reply = await handle.next(["stats"], 10_000, "stats", (m) => m.id === id);
      return reply.stats;
    },
    io: () => readProcIo(pid),
    async stop() {
      if (!exited()) handle.child.kill("SIGTERM");
      await waitExit();
      await handle.stop();
    },
    async kill9() {
      if (!exited()) handle.child.kill("SIGKILL");
      await waitExit();
      await handle.stop();
    },
  };
}
