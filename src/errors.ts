// The library's errors: every one is the user's to fix (a bad file, a bad
// option, a run that diverged), and its message is phrased for them, so a
// front-end prints it as it is. Anything else that is thrown is a bug.
export class DncError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A run configuration, or the options of a call, that cannot be used. */
export class ConfigError extends DncError {}
