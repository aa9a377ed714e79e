// Drives a Session for `dnc train` and `dnc task`: signals become an abort,
// checkpoint events become atomic writes, every other event one line of text
// (or of JSON with --json), and a progress bar with ETA on a terminal.
import { Session } from "../run/session.js";
import { RunOptions, SessionEvent } from "../run/events.js";
import { Progress } from "./progress.js";
import { existsSync } from "node:fs";
import { writeAtomic } from "./io.js";

export interface RenderOpts {
  json: boolean;
  save?: string;
  /** For the bar: the budgets. */
  iters?: number;
  seconds?: number;
  /** Text for each event that prints one (undefined: nothing in text mode). */
  text: (ev: SessionEvent) => string | undefined;
  /** Extra fields of the JSON line of an event. */
  extra?: (ev: SessionEvent) => Record<string, unknown>;
}

/** Exit code after SIGINT / SIGTERM: 128 + the signal number, as shells report it. */
export const SIGNAL_EXIT = { SIGINT: 130, SIGTERM: 143 } as const;

/** Runs the session to its end; returns the final event. */
export async function runSession(s: Session, run: RunOptions, r: RenderOpts): Promise<SessionEvent> {
  const prog = new Progress(r.json, !!process.stdout.isTTY);
  const abort = new AbortController();
  let signal: keyof typeof SIGNAL_EXIT | undefined;
  const handlers: (() => void)[] = (["SIGINT", "SIGTERM"] as const).map((sig) => {
    const h = () => { signal ??= sig; abort.abort(); };
    process.on(sig, h);
    return () => { process.removeListener(sig, h); };
  });
  // a closed stdout (`dnc train | head`) stops the run like a signal, quietly
  const onPipe = (e: NodeJS.ErrnoException) => { if (e.code === "EPIPE") abort.abort(); };
  process.stdout.on("error", onPipe);
  handlers.push(() => { process.stdout.removeListener("error", onPipe); });
  const iters0 = s.iteration, t0 = performance.now();
  let lastBar = 0, last!: SessionEvent;
  try {
    for await (const ev of s.run({ ...run, signal: abort.signal })) {
      last = ev;
      if (ev.type === "checkpoint") {
        if (r.save) writeAtomic(r.save, ev.bytes);
        continue;
      }
      if (ev.type === "stopped" && ev.reason === "nonFinite") {
        prog.clearBar();
        continue;
      }
      const line = r.text(ev);
      if (line !== undefined || r.json) prog.line(line ?? "", { ...ev, ...(r.extra?.(ev) ?? {}) });
      const now = performance.now();
      if (now - lastBar > 200) {
        const el = (now - t0) / 1000;
        const f = Math.max(r.iters !== undefined ? (s.iteration - iters0) / Math.max(r.iters - iters0, 1) : 0, r.seconds !== undefined ? el / r.seconds : 0);
        prog.bar(f, el);
        lastBar = now;
      }
    }
  } finally {
    prog.clearBar();
    for (const off of handlers) off();
  }
  if (last.type === "stopped") {
    if (last.reason === "nonFinite") {
      const kept = r.save !== undefined && existsSync(r.save);
      process.stderr.write(`dnc: error: ${last.message}; stopping${kept ? ` (the last good checkpoint stays in ${r.save})` : ""}` +
        ` — try a lower learning rate (--lr) or gradient clipping (--clip)\n`);
      process.exitCode = 2;
    } else if (signal) {
      process.exitCode = SIGNAL_EXIT[signal];
    }
  }
  return last;
}
