// The bench scripts' command-line options: --help prints them, anything else is refused
// (a typo would otherwise start minutes of measurement with the default settings).
export function parseOptions(usage, about, options) {
  const args = new Set(process.argv.slice(2));
  if (args.has("--help") || args.has("-h")) {
    console.log(`usage: ${usage}\n\n${about}\n\n` + Object.entries(options).map(([o, d]) => `  ${o.padEnd(10)} ${d}`).join("\n"));
    process.exit(0);
  }
  const unknown = [...args].filter((a) => !(a in options));
  if (unknown.length) {
    console.error(`unknown option ${unknown.join(", ")}: one of ${Object.keys(options).join(", ")} (--help)`);
    process.exit(2);
  }
  return args;
}
