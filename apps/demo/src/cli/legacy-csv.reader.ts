import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { LineLengthLimiter, LineTooLongError } from './line-length.limiter';

/**
 * The longest line a token export may have: a user id, a username (Django allows 150 characters,
 * an email 254), a key (at most 128) and a few extra columns fit many times over; a file with a
 * longer line is not a token export.
 */
export const MAX_LINE_BYTES = 64 * 1024;

/** The columns the import reads; others are ignored. */
export const LEGACY_COLUMNS = ['user_id', 'username', 'key'] as const;
export type LegacyColumn = (typeof LEGACY_COLUMNS)[number];

/** A file that cannot be imported as a whole (exit code 1; nothing is written). */
export class CsvRefusal extends Error {}

/** One data row: the line it ends on, and its known columns' values (an empty cell is left out). */
export interface LegacyCsvRow {
  line: number;
  values: Partial<Record<LegacyColumn, string>>;
  /** Why the row cannot be read (its number of fields differs from the header's), else `undefined`. */
  problem?: string;
}

interface Parsed {
  record: string[];
  info: { lines: number };
}

/** What a csv-parse error means, in words that never quote the file (a field may hold a key). */
const CSV_ERRORS: Record<string, string> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed',
  CSV_INVALID_CLOSING_QUOTE: 'text right after a closing quote',
  INVALID_OPENING_QUOTE: 'a quote inside an unquoted field',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'text right after a closing quote',
};

/**
 * A token export as CSV, read as a stream: a header row naming the columns (`user_id`, `username`,
 * `key`; any order, any case, others ignored), then one row per token. Quoted or not, with
 * doubled quotes inside quoted fields, CRLF or LF line ends, a UTF-8 byte-order mark: what
 * Python's `csv` module (`QUOTE_ALL` included), PostgreSQL's `COPY … CSV HEADER` and spreadsheets
 * write. Parsing is csv-parse's, behind a line-length limit.
 */
export class LegacyCsvFile {
  constructor(
    readonly path: string,
    private readonly maxLineBytes = MAX_LINE_BYTES,
  ) {}

  /** The known columns the header names (refused: no header, a column twice, no key, no user column). */
  async columns(): Promise<ReadonlySet<LegacyColumn>> {
    for await (const { record } of this.records()) return headerOf(this.path, record).present;
    throw new CsvRefusal(`${this.path} is empty: expected a header row naming user_id, username and key.`);
  }

  /** The data rows, in file order; throws `CsvRefusal` at the first line that is not CSV or too long. */
  async *rows(): AsyncGenerator<LegacyCsvRow> {
    let header: Header | undefined;
    for await (const { record, info } of this.records()) {
      if (!header) {
        header = headerOf(this.path, record);
        continue;
      }
      const values: Partial<Record<LegacyColumn, string>> = {};
      for (const [column, index] of header.index) {
        const value = record[index];
        if (value !== undefined && value !== '') values[column] = value;
      }
      const problem =
        record.length === header.width ? undefined : `${record.length} field(s) where the header has ${header.width}`;
      yield { line: info.lines, values, problem };
    }
  }

  private async *records(): AsyncGenerator<Parsed> {
    const parser = parse({
      bom: true,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
      max_record_size: this.maxLineBytes,
      info: true,
    });
    // Errors reach the loop below through the parser, which the pipeline destroys with them.
    pipeline(createReadStream(this.path), new LineLengthLimiter(this.maxLineBytes), parser, () => undefined);
    try {
      for await (const parsed of parser) yield parsed as Parsed;
    } catch (error) {
      throw this.refusal(error);
    } finally {
      parser.destroy();
    }
  }

  private refusal(error: unknown): unknown {
    if (error instanceof LineTooLongError) {
      return new CsvRefusal(`${this.path} ${error.message}: not a token export.`);
    }
    if (error instanceof CsvError) {
      const line = typeof error.lines === 'number' ? error.lines : '?';
      if (error.code === 'CSV_MAX_RECORD_SIZE') {
        // A quoted field may span lines, each of them short: the limit holds for the whole row too.
        return new CsvRefusal(
          `${this.path} line ${line} ends a row longer than ${this.maxLineBytes} bytes, the limit for one row: not a token export.`,
        );
      }
      return new CsvRefusal(`${this.path} line ${line} is not valid CSV: ${CSV_ERRORS[error.code] ?? error.code}.`);
    }
    return error;
  }
}

interface Header {
  /** Where each known column is. */
  index: Map<LegacyColumn, number>;
  present: ReadonlySet<LegacyColumn>;
  /** How many fields a row has. */
  width: number;
}

/** The header row; refused without `key` and a user column. Never quotes the row: without a header it holds a key. */
function headerOf(path: string, names: string[]): Header {
  const index = new Map<LegacyColumn, number>();
  names.forEach((name, position) => {
    const column = LEGACY_COLUMNS.find((known) => known === name.trim().toLowerCase());
    if (!column) return;
    if (index.has(column)) throw new CsvRefusal(`${path}: the header names ${column} twice.`);
    index.set(column, position);
  });
  if (!index.has('key') || !(index.has('username') || index.has('user_id'))) {
    const found = [...index.keys()].join(', ') || 'none of them';
    throw new CsvRefusal(
      `${path}: the first line must be a header naming key and username and/or user_id (e.g. user_id,username,key); it names ${found}.`,
    );
  }
  return { index, present: new Set(index.keys()), width: names.length };
}
