// Progress output: the seed's line `12.3 s, iter 1200, 1.8345 BPC, 45230 char/s`,
// or JSON lines with --json, and a progress bar with ETA on a terminal.
export class Progress {
  private barShown = false;
  constructor(readonly json: boolean, readonly tty: boolean, readonly out: NodeJS.WriteStream = process.stdout) {}

  line(text: string, obj: Record<string, unknown>): void {
    this.clearBar();
    this.out.write(this.json ? JSON.stringify(obj) + "\n" : text + "\n");
  }

  /** fraction in [0,1]; drawn only on a terminal and without --json. */
  bar(fraction: number, elapsed: number): void {
    if (!this.tty || this.json) return;
    const f = Math.min(Math.max(fraction, 0), 1), w = 30, fill = Math.round(f * w);
    const eta = f > 0 ? elapsed * (1 - f) / f : NaN;
    this.out.write(`\r\x1b[2K[${"#".repeat(fill)}${".".repeat(w - fill)}] ${(100 * f).toFixed(0)}%  ETA ${fmtTime(eta)}`);
    this.barShown = true;
  }

  clearBar(): void {
    if (this.barShown) { this.out.write("\r\x1b[2K"); this.barShown = false; }
  }
}

export function fmtTime(s: number): string {
  if (!Number.isFinite(s)) return "--";
  if (s < 60) return `${s.toFixed(0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}
