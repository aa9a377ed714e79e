// `dnc gradcheck`: the per-tensor table of the float64 gradient check.
import { gradcheck, GradcheckOptions } from "../train/gradcheck.js";
import { memoryText } from "./common.js";

export async function gradcheckCmd(o: Required<GradcheckOptions> & { json: boolean }): Promise<void> {
  const r = await gradcheck(o);
  if (o.json) {
    process.stdout.write(JSON.stringify(r) + "\n");
  } else {
    const e = (x: number) => x.toExponential(2).padStart(10);
    const rng = (a: [number, number]) => `[${e(a[0])}, ${e(a[1])}]`;
    const dnc = memoryText({ ...o, sparse: o.sparse ?? 4 });
    const head = o.head === "sigmoid" ? `, dense input ${o.vocab} → 4 masked sigmoid outputs` : `, vocab ${o.vocab}`;
    process.stdout.write(`gradient check, ${o.model}: hidden ${o.hidden}${dnc}${head}, batch ${o.batch}, seq ${o.seq}, float64, ` +
      `carried-in state; relative error |a−n|/(|a|+|n|)\n`);
    process.stdout.write(`${"tensor".padEnd(18)} ${"shape".padEnd(9)} ${"numerical range".padEnd(26)} ${"analytic range".padEnd(26)} ` +
      `${"min err".padStart(10)} ${"max err".padStart(10)} ${"mean err".padStart(10)}  checked skipped\n`);
    for (const row of r.rows) {
      process.stdout.write(`${row.name.padEnd(18)} ${JSON.stringify(row.shape).padEnd(9)} ${rng(row.numeric)} ${rng(row.analytic)} ` +
        `${e(row.err.min)} ${e(row.err.max)} ${e(row.err.mean)}  ${String(row.checked).padStart(7)} ${String(row.skipped).padStart(7)}\n`);
    }
    const worst = Math.max(...r.rows.map((x) => x.err.max));
    process.stdout.write(`${r.pass ? "PASS" : "FAIL"}: max relative error ${worst.toExponential(2)} ${r.pass ? "≤" : ">"} ${r.tolerance}\n`);
  }
  if (!r.pass) process.exitCode = 1;
}
