// `workbook broker`: the Kafka-compatible broker (src/kafka/) in the foreground. Prints where it listens
// and where its data lives, logs what clients get wrong, and stops cleanly (fsync, indexes, checkpoint,
// clean-shutdown marker) on Ctrl-C, SIGTERM or SIGHUP. Any Kafka client can talk to it:
//   kcat -b 127.0.0.1:9092 -L
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import { Command, UsageError } from "../command";
import { parseOptions, integerOption, choiceOption } from "../options";
import { startBroker, Broker } from "../../kafka/broker/broker";
import { SERVING_MODES } from "../../kafka/broker/response-sender";
import { describeRecovery, DataDirInUse } from "../../kafka/log/log-manager";

/** Where the data goes without --dir: a folder that survives restarts, next to the user's home. */
export function defaultDataDir(): string {
  return path.join(os.homedir(), ".workbook-kafka");
}

export const command: Command = {
  name: "broker",
  summary: "run the Kafka-compatible broker in the foreground (kcat and kafkajs can use it); Ctrl-C stops it cleanly",
  usage: `workbook broker [--port <9092>] [--dir <d>] [--partitions <n>] [--serving <${SERVING_MODES.join("|")}>] [--listen <host>]`,
  async run(argv, io) {
    const { values } = parseOptions(argv, {
      port: { type: "string" },
      dir: { type: "string", path: "output-dir" },
      partitions: { type: "string" },
      serving: { type: "string" },
      listen: { type: "string" },
    });
    const port = integerOption(values.port, "port", 0, 65535) ?? 9092;
    const defaultPartitions = integerOption(values.partitions, "partitions", 1, 10_000) ?? 1;
    const serving = choiceOption(values.serving, "serving", SERVING_MODES) ?? "sendfile";
    const host = values.listen ?? "127.0.0.1";
    if (host.trim() === "") throw new UsageError("--listen needs a host or address, e.g. 127.0.0.1 or 0.0.0.0");
    const dataDir = path.resolve(values.dir ?? defaultDataDir());
    if (fs.existsSync(dataDir) && !fs.statSync(dataDir).isDirectory()) throw new UsageError(`--dir ${dataDir} exists and is not a folder`);
    let broker: Broker;
    try {
      broker = await startBroker({ dataDir, port, host, defaultPartitions, serving, log: (line) => io.err(`broker: ${line}`) });
    } catch (error) {
      const e = error as NodeJS.ErrnoException;
      if (error instanceof DataDirInUse || /in use|not an address|not allowed to listen|cannot listen/.test(e.message)) throw new UsageError(e.message);
      if (e.code === "EACCES" || e.code === "EROFS" || e.code === "ENOTDIR" || e.code === "EEXIST") throw new UsageError(`--dir ${dataDir}: ${e.message}`);
      throw error;
    }
    io.out(`kafka broker listening on ${broker.host}:${broker.port} (node 0, serving fetches by ${serving})`);
    io.out(`data folder ${broker.dataDir}`);
    for (const line of describeRecovery(broker.recovery)) io.out(line);
    if (!isLoopback(host)) io.out(`warning: listening on ${host}, reachable from other machines; there is no authentication`);
    io.out(`try: kcat -b ${broker.host}:${broker.port} -L    (Ctrl-C stops the broker)`);
    return await new Promise<number>((resolve) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        io.err(`broker: ${signal}: stopping (flushing logs, writing indexes and the checkpoint)`);
        broker.close().then(
          () => {
            io.out("broker stopped cleanly");
            resolve(0);
          },
          (error: Error) => {
            io.err(`broker: clean shutdown failed: ${error.message}`);
            resolve(1);
          },
        );
      };
      for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.once(signal, () => stop(signal));
    });
  },
};

/** Whether an address only this machine can reach: 127.0.0.0/8, ::1, localhost. */
function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
