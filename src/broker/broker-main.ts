// Entry point of the broker child process (started by broker-process.ts through broker-child.cjs).
// argv[2] is the BrokerConfig as JSON. It reports {type:"ready", port, pid, recovery} over IPC, closes the log
// cleanly on SIGTERM or when the parent goes away, and can be kill -9'd at any time (the crash test does).
import { startBroker, BrokerConfig, Broker } from "./server";

/** Starts the broker from argv and wires shutdown; runs when this file is the child's main script. */
async function main(): Promise<void> {
  const config = JSON.parse(process.argv[2] ?? "null") as BrokerConfig | null;
  if (!config || !config.log) throw new Error("broker-main needs the BrokerConfig JSON as its first argument");
  let broker: Broker | null = null;
  const shutdown = (code: number) => {
    const closing = broker ? broker.close() : Promise.resolve();
    closing.then(
      () => process.exit(code),
      (error: Error) => {
        process.stderr.write(`broker: clean shutdown failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown(0));
  process.on("disconnect", () => shutdown(0));
  broker = await startBroker(config);
  process.send?.({ type: "ready", port: broker.port, pid: process.pid, recovery: broker.recovery });
}

main().catch((error: Error) => {
  process.send?.({ type: "failed", message: error.message });
  process.stderr.write(`broker: ${error.message}\n`);
  process.exit(1);
});
