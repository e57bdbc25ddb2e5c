const NEWLINE = 0x0a;
/** Each LOCAL INFILE chunk travels as one protocol packet (max 16 MB): keep batches well below. */
export const BATCH_BYTES = 1 << 20;

/** Packs LOAD DATA lines into batches of about BATCH_BYTES, copying each byte once. */
export class TsvBatcher {
  private buffer = Buffer.allocUnsafe(BATCH_BYTES);
  private length = 0;

  constructor(private readonly emit: (batch: Buffer) => void) {}

  /** A line the source server already escaped (see tsvLineExpression); adds the newline. */
  addLine(line: Buffer): number {
    this.append(line);
    this.appendByte(NEWLINE);
    return line.length + 1;
  }

  flush(): void {
    if (this.length === 0) return;
    this.emit(this.buffer.subarray(0, this.length));
    this.buffer = Buffer.allocUnsafe(BATCH_BYTES);
    this.length = 0;
  }

  private append(field: Buffer): void {
    if (this.length + field.length <= BATCH_BYTES) {
      field.copy(this.buffer, this.length);
      this.length += field.length;
      return;
    }
    // A large BLOB: the stream is plain bytes, so it may be split across packets anywhere.
    this.flush();
    for (let offset = 0; offset < field.length; offset += BATCH_BYTES) {
      this.emit(Buffer.from(field.subarray(offset, Math.min(field.length, offset + BATCH_BYTES))));
    }
  }

  private appendByte(byte: number): void {
    if (this.length === BATCH_BYTES) this.flush();
    this.buffer[this.length++] = byte;
  }
}
