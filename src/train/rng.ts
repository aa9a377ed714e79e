// xoshiro128** : small, fast, seedable, and its whole state is four u32s,
// which the checkpoint stores so that a resumed run draws the same numbers.
export class Rng {
  private s: Uint32Array;
  constructor(seed: number | number[] = 1) {
    this.s = new Uint32Array(4);
    if (Array.isArray(seed)) { this.s.set(seed); return; }
    // splitmix32 spreads a small integer seed over the state
    let x = seed >>> 0;
    for (let i = 0; i < 4; i++) {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      this.s[i] = (z ^ (z >>> 16)) >>> 0;
    }
    if ((this.s[0] | this.s[1] | this.s[2] | this.s[3]) === 0) this.s[0] = 1;
  }
  nextU32(): number {
    const s = this.s;
    const r = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return r;
  }
  /** Uniform in [0, 1) with 53 random bits. */
  next(): number { return ((this.nextU32() >>> 5) * 67108864 + (this.nextU32() >>> 6)) / 9007199254740992; }
  uniform(lo: number, hi: number): number { return lo + (hi - lo) * this.next(); }
  /** Integer in [0, k). */
  int(k: number): number { return Math.floor(this.next() * k); }
  get state(): number[] { return Array.from(this.s); }
}
function rotl(x: number, k: number): number { return ((x << k) | (x >>> (32 - k))) >>> 0; }
