#!/usr/bin/env node
// The `dnc` command line. User errors print one line and exit with code 2.
import { Command, Option, CommanderError, InvalidArgumentError } from "commander";
import { train } from "./train.js";
import { sample } from "./sample.js";
import { evaluate } from "./eval.js";
import { gradcheckCmd } from "./gradcheck.js";
import { inspect } from "./inspect.js";
import { task } from "./task.js";
import { TASK_NAMES } from "../data/tasks.js";
import { intArg, numArg } from "./io.js";
import { lshOf } from "./common.js";
import { OPTIMIZERS, DEFAULT_LR } from "../train/optimizer.js";
import { DNC_DEFAULTS, SAM_DEFAULT_SPARSE } from "../models/index.js";
import { MODEL_KINDS } from "../models/model.js";
import { DncError } from "../errors.js";

/** --model, --hidden and the memory models' --memory/--word/--reads/--sparse, with a command's own defaults. */
function modelOptions(cmd: Command, d: { model: string; hidden: number; memory: number; word: number; reads: number }, hiddenHelp = "hidden size (the DNC's controller)"): Command {
  return cmd
    .addOption(new Option("--model <kind>", "model (sam: sparse access memory, reads and writes of K slots; sdnc: the sparse DNC, SAM with sparse temporal links)").choices(MODEL_KINDS).default(d.model))
    .option("--hidden <n>", hiddenHelp, intArg(1), d.hidden)
    .option("--memory <n>", "DNC/SAM: memory slots N", intArg(1), d.memory)
    .option("--word <n>", "DNC/SAM: word size W", intArg(1), d.word)
    .option("--reads <n>", "DNC/SAM: read heads R", intArg(1), d.reads)
    .option("--sparse <k>", `SAM: slots each read head touches (default ${SAM_DEFAULT_SPARSE})`, intArg(1))
    .option("--lsh <bits>", "SAM: approximate content scan, an LSH index of 2^bits buckets (about N/128 suits; default: the exact scan)", intArg(1))
    .option("--lsh-probes <n>", "SAM: buckets each read head scans with --lsh, its own and those one sign away on its least certain planes (default bits + 1)", intArg(1))
    .option("--content-mask", "DNC: masked content addressing, each head's key and the memory compared through a learned mask (Csordás & Schmidhuber 2019; off by default)")
    .option("--erase-freed", "DNC: de-allocation that erases, a freed word is wiped, not only marked free (Csordás & Schmidhuber 2019; off by default)");
}

/** --lr-decay and its cadence, for the commands that train (added after --lr). */
function lrDecayOptions(cmd: Command): Command {
  return cmd
    .addOption(new Option("--lr-decay <factor>", "multiply the learning rate by this factor in (0, 1] every --lr-decay-every updates once --lr-decay-after are made (step decay, as char-rnn's; default: none)").argParser(numArg(0, true)))
    .addOption(new Option("--lr-decay-every <n>", "updates between two learning-rate decays (default 1000)").argParser(intArg(1)))
    .addOption(new Option("--lr-decay-after <n>", "updates before the first decay starts counting (default 0)").argParser(intArg(0)));
}

/** "w,a,f": three numbers (an empty one keeps that gate's default). */
function gateBiasArg(v: string): { write?: number; allocation?: number; free?: number } {
  const parts = v.split(",");
  if (parts.length !== 3) throw new InvalidArgumentError("expected three numbers w,a,f (write, allocation, free gates)");
  const out: Record<string, number> = {};
  ["write", "allocation", "free"].forEach((k, i) => {
    if (parts[i].trim() === "") return;
    const x = Number(parts[i]);
    if (!Number.isFinite(x) || Math.abs(x) > 50) throw new InvalidArgumentError("each gate bias must be a number in [−50, 50]");
    out[k] = x;
  });
  return out;
}

/** "b,c,f": three numbers. */
function readModeArg(v: string): [number, number, number] {
  const x = v.split(",").map(Number);
  if (x.length !== 3 || !x.every((y) => Number.isFinite(y) && Math.abs(y) <= 50)) throw new InvalidArgumentError("expected three numbers b,c,f in [−50, 50]");
  return x as [number, number, number];
}

const program = new Command();
program
  .name("dnc")
  .description("Train and run character-level RNN, LSTM and DNC models on WebAssembly SIMD.")
  .version("0.1.0")
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(`dnc: ${s.replace(/^error: /, "error: ")}`) });

lrDecayOptions(modelOptions(program
  .command("train")
  .description("train a model on a text file (or the built-in corpus) and report BPC as it learns")
  .option("--data <file>", "UTF-8 text to train on; the last 10% is held out for validation (default: the built-in corpus)")
  .option("--live <n>", "built-in corpus: names an ask may refer to (default 8; fewer: shorter distances)", intArg(1))
  .option("--curriculum-live <list>", "built-in corpus: start with the first count of live names, move to the next when --curriculum-accuracy of the ask values are right (e.g. 2,4,8)",
    (v: string) => v.split(",").map((x) => intArg(1)(x)))
  .option("--curriculum-accuracy <x>", "share of ask values right at an evaluation that moves the corpus curriculum on", numArg(0), 0.9)
  .option("--read-mode-bias <b,c,f>", "DNC: initial biases of every read head's modes (backward, content, forward), pre-softmax (default 0,0,0; write --read-mode-bias=0,2,0)", readModeArg)
  .option("--gate-bias <w,a,f>", "DNC: initial biases of the write, allocation and free gates, pre-sigmoid (default 0,0,0; write --gate-bias=-2,2,0)", gateBiasArg),
  { model: "lstm", hidden: 128, memory: DNC_DEFAULTS.memorySlots, word: DNC_DEFAULTS.wordSize, reads: DNC_DEFAULTS.readHeads })
  .option("--batch <n>", "streams per batch", intArg(1), 32)
  .option("--seq <n>", "steps per truncated-BPTT window", intArg(1), 50)
  .addOption(new Option("--optimizer <name>", "optimiser").choices(OPTIMIZERS).default("adam"))
  .option("--lr <x>", `learning rate (default: ${Object.entries(DEFAULT_LR).map(([k, v]) => `${k} ${v}`).join(", ")})`, numArg(0, true)))
  .option("--clip <x>", "global gradient-norm clipping threshold; 0 turns it off", numArg(0), 5)
  .option("--seed <n>", "random seed (initialisation, samples)", intArg(0), 1)
  .option("--iters <n>", "stop at this iteration count (default 2000 when --time is not given)", intArg(1))
  .option("--time <seconds>", "stop after this many seconds", numArg(0, true))
  .option("--save <file>", "write a checkpoint (safetensors) here every --save-every iterations and at the end")
  .option("--save-every <n>", "iterations between checkpoints", intArg(1), 1000)
  .option("--resume <file>", "continue a run exactly where its checkpoint stopped")
  .option("--init <file>", "start a fresh run from the weights of a checkpoint (optimizer state not needed)")
  .option("--print-every <n>", "iterations between progress lines", intArg(1), 100)
  .option("--eval-every <n>", "iterations between validation BPC and a sample", intArg(1), 1000)
  .option("--eval-batch <n>", "streams for the validation BPC", intArg(1), 16)
  .option("--threads <n>", "threads (this one and N − 1 workers), each taking a share of the streams (default: the cores, at most the batch)", intArg(1))
  .option("--memory-budget <GiB>", "WebAssembly memory a run may plan for; sizes that need more are refused before training (at most 4, wasm's limit)", numArg(0, true), 3.5)
  .option("--json", "print JSON lines instead of text", false)
  .action((opts, cmd) => train(opts, cmd));

program
  .command("sample")
  .description("generate text from a checkpoint")
  .requiredOption("--checkpoint <file>", "checkpoint to sample from")
  .option("--length <n>", "characters to generate", intArg(0), 500)
  .option("--temperature <t>", "softmax temperature (lower: more conservative)", numArg(0, true), 1)
  .option("--prime <text>", "text to read first (printed, then continued)")
  .option("--seed <n>", "random seed", intArg(0), 1)
  .action((opts) => sample(opts));

program
  .command("eval")
  .description("bits per character of a text, by MODELS.md's evaluation rule")
  .requiredOption("--checkpoint <file>", "checkpoint to evaluate")
  .option("--data <file>", "UTF-8 text (default: the built-in corpus)")
  .option("--batch <n>", "evaluation streams (1 gives the canonical single-stream value)", intArg(1), 1)
  .option("--threads <n>", "threads (this one and N − 1 workers), each reading a share of the streams (default: the cores, at most --batch)", intArg(1))
  .addOption(new Option("--split <which>", "which part of the text").choices(["val", "all"]).default("val"))
  .option("--live <n>", "built-in corpus: names an ask may refer to (default 8)", intArg(1))
  .option("--json", "print JSON", false)
  .action((opts) => evaluate(opts));

lrDecayOptions(modelOptions(program
  .command("task")
  .description("train on an algorithmic task (copy, repeat-copy, recall, copy-reuse), or evaluate a checkpoint at other lengths")
  .argument("<name>", `task: ${TASK_NAMES.join(", ")}`, (v: string) => {
    if (!(TASK_NAMES as readonly string[]).includes(v)) throw new InvalidArgumentError(`expected one of ${TASK_NAMES.join(", ")}`);
    return v;
  }),
  { model: "dnc", hidden: 64, memory: 16, word: 16, reads: 4 }) // DeepMind's repeat-copy configuration
  .option("--batch <n>", "sequences per batch", intArg(1), 16)
  .addOption(new Option("--optimizer <name>", "optimiser").choices(OPTIMIZERS).default("rmsprop"))
  .option("--lr <x>", "learning rate", numArg(0, true), 1e-4))
  .option("--eps <x>", "optimiser epsilon", numArg(0, true), 1e-10)
  .option("--momentum <x>", "RMSProp momentum", numArg(0), 0)
  .option("--clip <x>", "global gradient-norm clipping; 0 turns it off", numArg(0), 50)
  .option("--seed <n>", "random seed (initialisation and data)", intArg(0), 1)
  .option("--bits <n>", "bits per vector (copy 8, repeat-copy 4, recall 6, copy-reuse 8)", intArg(1))
  .option("--min-length <n>", "shortest pattern (copy 1, repeat-copy 1, copy-reuse 3)", intArg(1))
  .option("--max-length <n>", "longest pattern (copy 10, repeat-copy 2, copy-reuse 6)", intArg(1))
  .option("--min-repeats <n>", "repeat-copy: fewest repeats (1)", intArg(1))
  .option("--max-repeats <n>", "repeat-copy: most repeats (2)", intArg(1))
  .option("--norm-max <x>", "repeat-copy: the repeat count is given as count / norm-max (10)", numArg(0, true))
  .option("--item-length <n>", "recall: vectors per item (3)", intArg(1))
  .option("--min-items <n>", "recall: fewest items (2)", intArg(2))
  .option("--max-items <n>", "recall: most items (6)", intArg(2))
  .option("--sequences <n>", "copy-reuse: sequences copied one after another (4)", intArg(1))
  .option("--iters <n>", "stop at this iteration count (default 20000 when --time is not given)", intArg(1))
  .option("--time <seconds>", "stop after this many seconds", numArg(0, true))
  .option("--target-cost <c>", "stop once the cost averaged over the last 100 iterations is below c bits per sequence", numArg(0, true))
  .option("--curriculum", "start at short sequences; grow the maximum length by one whenever bit errors fall below --curriculum-errors", false)
  .option("--curriculum-errors <x>", "bit errors per sequence under which the curriculum grows", numArg(0), 0.5)
  .option("--curriculum-start <n>", "the curriculum's first maximum length (default: the shortest pattern + 1)", intArg(1))
  .option("--print-every <n>", "iterations between progress lines", intArg(1), 100)
  .option("--save <file>", "write a checkpoint here every --save-every iterations and at the end")
  .option("--save-every <n>", "iterations between checkpoints", intArg(1), 5000)
  .option("--resume <file>", "continue a task run exactly where its checkpoint stopped")
  .option("--init <file>", "start a fresh run from a task checkpoint's weights and task options (the flags override them; --memory may differ, the weights do not depend on it)")
  .option("--checkpoint <file>", "a trained task checkpoint: evaluate it (--eval) or show its memory (--inspect) instead of training; with --memory, in a memory of that many slots")
  .option("--eval", "bit errors per sequence at each --length", false)
  .option("--length <list>", "pattern lengths to evaluate, comma-separated (e.g. 10,20,40); with --inspect, the one length of its sample", (v: string) => v.split(",").map((x) => intArg(1)(x)))
  .option("--eval-batches <n>", "batches per evaluated length", intArg(1), 20)
  .option("--inspect", "with --checkpoint: one sample through the DNC (SAM, sparse DNC), its memory step by step", false)
  .option("--threads <n>", "threads (this one and N − 1 workers), each taking a share of every batch (default: the cores, at most the batch)", intArg(1))
  .option("--memory-budget <GiB>", "WebAssembly memory a run may plan for; sizes that need more are refused before training (at most 4, wasm's limit)", numArg(0, true), 3.5)
  .option("--json", "print JSON", false)
  .action((name, opts, cmd) => task(name, opts, cmd));

program
  .command("inspect")
  .description("show what a DNC's memory does over a text: write/read weightings, usage, allocation, gates")
  .requiredOption("--checkpoint <file>", "a DNC checkpoint")
  .requiredOption("--prime <text>", "the text to read")
  .option("--json", "print JSON (per step: weightings, usage, allocation, gates, read modes)", false)
  .action((opts) => inspect(opts));

modelOptions(program
  .command("gradcheck")
  .description("compare analytic and numerical gradients in float64, per parameter tensor"),
  { model: "lstm", hidden: 5, memory: 5, word: 3, reads: 2 }, "hidden size")
  .option("--vocab <n>", "vocabulary size", intArg(1), 7)
  .option("--batch <n>", "streams", intArg(1), 2)
  .option("--seq <n>", "steps", intArg(1), 4)
  .option("--samples <n>", "entries checked per tensor", intArg(1), 24)
  .option("--seed <n>", "random seed", intArg(0), 1)
  .addOption(new Option("--head <kind>", "output head: softmax (characters) or sigmoid (bit tasks: dense inputs, masked sigmoid outputs)").choices(["softmax", "sigmoid"]).default("softmax"))
  .option("--tolerance <x>", "maximum relative error", numArg(0, true), 1e-6)
  .option("--step <h>", "largest finite-difference step (Ridders' extrapolation shrinks it)", numArg(0, true), 0.05)
  .option("--json", "print JSON", false)
  .action((o) => gradcheckCmd({ ...o, memorySlots: o.memory, wordSize: o.word, readHeads: o.reads, sparse: o.sparse, lsh: lshOf(o), contentMask: o.contentMask, eraseFreed: o.eraseFreed }));

// a closed pipe (`dnc sample | head`) ends the output quietly: the long commands stop at their next chunk
// or step (training still writes its checkpoint), everything else has nothing left to say
process.stdout.on("error", (e: NodeJS.ErrnoException) => { if (e.code !== "EPIPE") throw e; });

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // help and version exit 0; every parse error is the user's
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof DncError) {
    process.stderr.write(`dnc: error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
