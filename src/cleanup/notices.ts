// Where the cleanup machinery says what it removed on its own (a stale scratch folder of a run that was killed):
// one line each. stderr by default, so a notebook or a script sees it; the command line prefixes its own name.

/** Receives one line per thing removed. */
export type NoticeSink = (line: string) => void;

let sink: NoticeSink = (line) => process.stderr.write(`workbook: ${line}\n`);

/** Sends one line to the current sink; called by the cleanup code. */
export function notice(line: string): void {
  sink(line);
}

/** Routes notices to `next` until the returned function is called, which restores the previous sink. */
export function setCleanupNotices(next: NoticeSink): () => void {
  const previous = sink;
  sink = next;
  return () => {
    sink = previous;
  };
}
