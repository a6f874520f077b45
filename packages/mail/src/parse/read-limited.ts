/**
 * Reads a raw message into memory, but never more than `maxBytes` (+ one chunk): an
 * oversized mail is recognised while streaming and the stream is released, so a 2 GB
 * attachment cannot exhaust the worker. Rejects only when the input stream itself fails
 * (an I/O error the caller should retry), never because of what the bytes say.
 */

export type RawInput = Uint8Array | AsyncIterable<Uint8Array | string>;

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; size: number };

const isAsyncIterable = (input: unknown): input is AsyncIterable<Uint8Array | string> =>
  typeof input === 'object' && input !== null && Symbol.asyncIterator in input;

const release = (input: unknown): void => {
  const destroyable = input as { destroy?: () => void };
  if (typeof destroyable.destroy === 'function') destroyable.destroy();
};

export const readLimited = async (input: RawInput, maxBytes: number): Promise<ReadResult> => {
  if (input instanceof Uint8Array) {
    if (input.length > maxBytes) return { ok: false, size: input.length };
    return {
      ok: true,
      bytes: Buffer.isBuffer(input)
        ? input
        : Buffer.from(input.buffer, input.byteOffset, input.length),
    };
  }
  if (!isAsyncIterable(input))
    throw new TypeError('parseEmail needs a Buffer, a Uint8Array or a readable stream');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of input) {
    const bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'latin1')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
    size += bytes.length;
    if (size > maxBytes) {
      // Leaving the loop early calls the iterator's return(), which destroys a Node stream;
      // destroy() covers iterables that do not.
      release(input);
      return { ok: false, size };
    }
    chunks.push(bytes);
  }
  return { ok: true, bytes: Buffer.concat(chunks, size) };
};
