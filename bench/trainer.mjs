// A text run of a built library for the benchmarks: this build's Session, or
// an older build's Trainer (bench/ab.mjs compares against those), behind one
// `await t.step()`.
export async function textTrainer(lib, text, cfg, { threads = 1, spawn } = {}) {
  if (lib.Session) {
    const s = await lib.Session.create(cfg, { data: lib.textData(text), threads, spawn });
    return { step: () => s.step(), close: () => s.close(), model: s.model };
  }
  const corpus = new lib.Corpus(text);
  const t = threads > 1 ? await lib.ParallelTrainer.create(corpus, cfg, threads, spawn) : await lib.Trainer.create(corpus, cfg);
  return { step: () => t.step(), close: () => t.close?.(), model: t.model };
}
