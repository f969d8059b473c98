/**
 * Collects a byte stream's chunks up to a cap and drops the rest, so an input far over a limit is
 * seen as too large without being held in memory (stdin's payload cap, the executor's stdout).
 */
export class CappedBytes {
  private readonly chunks: Buffer[] = [];
  private kept = 0;

  /** @param max the most bytes kept; later bytes are counted out and dropped. */
  constructor(private readonly max: number) {}

  /** Keeps what still fits of `chunk`. */
  push(chunk: Buffer): void {
    const room = this.max - this.kept;
    if (room <= 0) return;
    this.chunks.push(chunk.length > room ? chunk.subarray(0, room) : chunk);
    this.kept += Math.min(chunk.length, room);
  }

  /** The kept bytes, in order. */
  bytes(): Buffer {
    return Buffer.concat(this.chunks, this.kept);
  }
}
