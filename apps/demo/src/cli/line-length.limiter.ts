import { Transform, type TransformCallback } from 'node:stream';

/** A line longer than the limit: the reader stops there, with this one-line message. */
export class LineTooLongError extends Error {
  constructor(
    readonly line: number,
    readonly limit: number,
  ) {
    super(`line ${line} is longer than ${limit} bytes, the limit for one line`);
  }
}

/**
 * Passes bytes through unchanged and fails as soon as one line grows past `limit` bytes. The CSV
 * parser's own record limit counts field characters, not the commas between them, so a line of
 * nothing but commas would otherwise grow one array without bound; this holds whatever the line
 * holds, and keeps nothing but a counter (the file is never in memory as a whole).
 */
export class LineLengthLimiter extends Transform {
  private line = 1;
  private length = 0;

  constructor(private readonly limit: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    let start = 0;
    for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, start)) {
      if (this.length + newline - start > this.limit) return done(new LineTooLongError(this.line, this.limit));
      this.line++;
      this.length = 0;
      start = newline + 1;
    }
    this.length += chunk.length - start;
    if (this.length > this.limit) return done(new LineTooLongError(this.line, this.limit));
    done(null, chunk);
  }
}
