/** Where a command writes: its results (stdout), its progress and diagnostics (stderr). */
export interface CliIo {
  /** One line of the command's result. */
  out(line: string): void;
  /** One line of progress or diagnostics. */
  err(line: string): void;
  /** Whether stderr is a terminal (a progress bar) or not (plain periodic lines). */
  readonly isTTY: boolean;
  /** The terminal stream a progress bar draws on, when `isTTY`. */
  readonly tty?: NodeJS.WriteStream;
}

/** Keeps what a command writes (tests, and `runCli`'s answer); optionally passes it through. */
export class CapturingIo implements CliIo {
  readonly lines: string[] = [];
  readonly errors: string[] = [];

  constructor(private readonly passthrough?: CliIo) {}

  get isTTY(): boolean {
    return this.passthrough?.isTTY ?? false;
  }

  get tty(): NodeJS.WriteStream | undefined {
    return this.passthrough?.tty;
  }

  out(line: string): void {
    this.lines.push(line);
    this.passthrough?.out(line);
  }

  err(line: string): void {
    this.errors.push(line);
    this.passthrough?.err(line);
  }
}

/** The process's own streams. */
export const processIo: CliIo = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  get isTTY() {
    return Boolean(process.stderr.isTTY);
  },
  get tty() {
    return process.stderr;
  },
};
