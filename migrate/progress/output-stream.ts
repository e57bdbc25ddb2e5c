/** A writable the CLI prints to; `isTTY` decides between progress bars and plain lines. */
export interface OutputStream {
  write(chunk: string): boolean;
  readonly isTTY?: boolean;
  readonly columns?: number;
}
