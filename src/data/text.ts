// Turning bytes a user gave us into training text, with the reasons a file
// can be refused (shared by the CLI and the web page).
import { DncError } from "../errors.js";
export class TextError extends DncError {}

/** UTF-8 text of `bytes`, or a TextError saying why it is not usable. */
export function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.length === 0) throw new TextError(`${name} is empty`);
  if (bytes.includes(0)) throw new TextError(`${name} looks like a binary file (it contains NUL bytes); give a text file`);
  let text: string;
  try { text = new TextDecoder("utf-8", { fatal: true }).decode(bytes); } catch {
    throw new TextError(`${name} is not valid UTF-8 text`);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** The training part (first 90%) must hold a window of seq+1 characters. */
export function checkLength(trainChars: number, seq: number): void {
  if (trainChars < seq + 1) {
    throw new TextError(`the training text (the first 90% of the corpus) has ${trainChars} characters; seq ${seq} needs at least ${seq + 1}`);
  }
}
