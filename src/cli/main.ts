#!/usr/bin/env node
// The `dnc` command line. User errors print one line and exit with code 2.
import { Command, Option, CommanderError } from "commander";
import { train } from "./train.js";
import { sample } from "./sample.js";
import { evaluate } from "./eval.js";
import { gradcheckCmd } from "./gradcheck.js";
import { inspect } from "./inspect.js";
import { intArg, numArg, UserError } from "./io.js";
import { OPTIMIZERS, DEFAULT_LR } from "../train/optimizer.js";
import { DNC_DEFAULTS } from "../models/index.js";
import { CheckpointError } from "../train/checkpoint.js";
import { VocabError } from "../data/corpus.js";

const program = new Command();
program
  .name("dnc")
  .description("Train and run character-level RNN, LSTM and DNC models on WebAssembly SIMD.")
  .version("0.1.0")
  .exitOverride()
  .configureOutput({ outputError: (s, write) => write(`dnc: ${s.replace(/^error: /, "error: ")}`) });

program
  .command("train")
  .description("train a model on a text file (or the built-in corpus) and report BPC as it learns")
  .option("--data <file>", "UTF-8 text to train on; the last 10% is held out for validation (default: the built-in corpus)")
  .addOption(new Option("--model <kind>", "model").choices(["rnn", "lstm", "dnc"]).default("lstm"))
  .option("--hidden <n>", "hidden size (the DNC's controller)", intArg(1), 128)
  .option("--memory <n>", "DNC: memory slots N", intArg(1), DNC_DEFAULTS.memorySlots)
  .option("--word <n>", "DNC: word size W", intArg(1), DNC_DEFAULTS.wordSize)
  .option("--reads <n>", "DNC: read heads R", intArg(1), DNC_DEFAULTS.readHeads)
  .option("--batch <n>", "streams per batch", intArg(1), 32)
  .option("--seq <n>", "steps per truncated-BPTT window", intArg(1), 50)
  .addOption(new Option("--optimizer <name>", "optimiser").choices(OPTIMIZERS).default("adam"))
  .option("--lr <x>", `learning rate (default: ${Object.entries(DEFAULT_LR).map(([k, v]) => `${k} ${v}`).join(", ")})`, numArg(0, true))
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
  .addOption(new Option("--split <which>", "which part of the text").choices(["val", "all"]).default("val"))
  .option("--json", "print JSON", false)
  .action((opts) => evaluate(opts));

program
  .command("inspect")
  .description("show what a DNC's memory does over a text: write/read weightings, usage, allocation, gates")
  .requiredOption("--checkpoint <file>", "a DNC checkpoint")
  .requiredOption("--prime <text>", "the text to read")
  .option("--json", "print JSON (per step: weightings, usage, allocation, gates, read modes)", false)
  .action((opts) => inspect(opts));

program
  .command("gradcheck")
  .description("compare analytic and numerical gradients in float64, per parameter tensor")
  .addOption(new Option("--model <kind>", "model").choices(["rnn", "lstm", "dnc"]).default("lstm"))
  .option("--hidden <n>", "hidden size", intArg(1), 5)
  .option("--memory <n>", "DNC: memory slots N", intArg(1), 5)
  .option("--word <n>", "DNC: word size W", intArg(1), 3)
  .option("--reads <n>", "DNC: read heads R", intArg(1), 2)
  .option("--vocab <n>", "vocabulary size", intArg(1), 7)
  .option("--batch <n>", "streams", intArg(1), 2)
  .option("--seq <n>", "steps", intArg(1), 4)
  .option("--samples <n>", "entries checked per tensor", intArg(1), 24)
  .option("--seed <n>", "random seed", intArg(0), 1)
  .addOption(new Option("--head <kind>", "output head: softmax (characters) or sigmoid (bit tasks: dense inputs, masked sigmoid outputs)").choices(["softmax", "sigmoid"]).default("softmax"))
  .option("--tolerance <x>", "maximum relative error", numArg(0, true), 1e-6)
  .option("--step <h>", "largest finite-difference step (Ridders' extrapolation shrinks it)", numArg(0, true), 0.05)
  .option("--json", "print JSON", false)
  .action((o) => gradcheckCmd({ ...o, memorySlots: o.memory, wordSize: o.word, readHeads: o.reads }));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // help and version exit 0; every parse error is the user's
    process.exitCode = e.exitCode === 0 ? 0 : 2;
  } else if (e instanceof UserError || e instanceof CheckpointError || e instanceof VocabError || e instanceof RangeError) {
    process.stderr.write(`dnc: error: ${e.message}\n`);
    process.exitCode = 2;
  } else {
    throw e;
  }
}
