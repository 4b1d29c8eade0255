// Progress for long runs: a redrawn bar on a terminal, plain lines (every 10%) anywhere else.

/** Creates a progress callback for one named task writing to `write`. */
export function progressReporter(name: string, isTTY: boolean, write: (text: string) => void) {
  let lastDecile = -1;
  let lastDraw = 0;
  return {
    update(fraction: number, label: string): void {
      const f = Math.max(0, Math.min(1, fraction));
      if (isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && f < 1) return; // redraw at most 10 times a second
        lastDraw = now;
        const width = 30;
        const filled = Math.round(f * width);
        process.stderr.write(`\r${name.padEnd(12)} [${"#".repeat(filled)}${".".repeat(width - filled)}] ${(f * 100).toFixed(0).padStart(3)}% ${label.slice(0, 40).padEnd(40)}`);
      } else {
        const decile = Math.floor(f * 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          write(`${name}: ${(f * 100).toFixed(0)}% ${label}`);
        }
      }
    },
    done(message: string): void {
      if (isTTY) process.stderr.write("\r" + " ".repeat(100) + "\r");
      write(message);
    },
  };
}
