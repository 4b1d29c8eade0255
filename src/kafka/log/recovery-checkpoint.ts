// Kafka's recovery-point-offset-checkpoint file, at the root of the data folder: for every partition, the
// offset up to which its log was fsynced when the file was written. Text, Kafka's CheckpointFile format:
//
//   0                          version
//   2                          number of entries
//   orders 0 1234              topic partition offset
//   orders 1 998
//
// Written to a .tmp file, fsynced and renamed over the old one, so a crash leaves one or the other.
// After an unclean shutdown, only segments from the one holding a partition's recovery point on are
// checked batch by batch. Kafka writes it every log.flush.offset.checkpoint.interval.ms (60 s) and at
// clean shutdown; so does this broker.
import * as fs from "fs";
import * as path from "path";

export const RECOVERY_CHECKPOINT_FILE = "recovery-point-offset-checkpoint";

/** "topic partition" -> offset. */
export type RecoveryPoints = Map<string, number>;

/** The key of a partition in the map. */
export function partitionKey(topic: string, partition: number): string {
  return `${topic} ${partition}`;
}

/** Reads the checkpoint; a missing or unreadable file means "nothing known flushed" (check everything). */
export function readRecoveryPoints(dataDir: string): { points: RecoveryPoints; problem: string | null } {
  const file = path.join(dataDir, RECOVERY_CHECKPOINT_FILE);
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { points: new Map(), problem: "no recovery checkpoint" };
  }
  const lines = text.split("\n").filter((l) => l.length > 0);
  const count = Number(lines[1]);
  if (lines[0] !== "0" || !Number.isInteger(count) || lines.length !== count + 2) return { points: new Map(), problem: `${RECOVERY_CHECKPOINT_FILE} is malformed` };
  const points: RecoveryPoints = new Map();
  for (const line of lines.slice(2)) {
    const match = /^(\S+) (\d+) (\d+)$/.exec(line);
    if (!match) return { points: new Map(), problem: `${RECOVERY_CHECKPOINT_FILE} has a bad line "${line}"` };
    points.set(partitionKey(match[1], Number(match[2])), Number(match[3]));
  }
  return { points, problem: null };
}

/** Writes the checkpoint atomically (tmp file, fsync, rename, fsync of the folder), off the event loop. */
export async function writeRecoveryPoints(dataDir: string, points: RecoveryPoints): Promise<void> {
  const file = path.join(dataDir, RECOVERY_CHECKPOINT_FILE);
  const tmp = `${file}.tmp`;
  const lines = ["0", String(points.size), ...[...points].map(([key, offset]) => `${key} ${offset}`)];
  const handle = await fs.promises.open(tmp, "w");
  try {
    await handle.writeFile(lines.join("\n") + "\n");
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(tmp, file);
  const dir = await fs.promises.open(dataDir, "r");
  try {
    await dir.sync();
  } finally {
    await dir.close();
  }
}
