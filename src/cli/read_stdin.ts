/**
 * Reads all of stdin as bytes, keeping at most `limit + 1` bytes: a payload over the cap is
 * reported as too large without being held in memory (the rest is read and dropped).
 */
export async function readStdinCapped(stream: NodeJS.ReadableStream, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    if (kept > limit) continue;
    const room = limit + 1 - kept;
    chunks.push(buffer.length > room ? buffer.subarray(0, room) : buffer);
    kept += Math.min(buffer.length, room);
  }
  return Buffer.concat(chunks, kept);
}
