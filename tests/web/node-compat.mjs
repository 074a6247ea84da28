// What the page's modules use from the browser that an older Node lacks, for the unit tests
// that import them under Node. Node 18 (Debian 12's) has CompressionStream without the
// 'deflate-raw' format that share links use (Node 20.12 added it): zlib provides it here.
import { createDeflateRaw, createInflateRaw } from 'node:zlib';
import { Duplex } from 'node:stream';

function supportsDeflateRaw(Stream) {
  try {
    new Stream('deflate-raw');
    return true;
  } catch {
    return false;
  }
}

// A subclass whose constructor answers 'deflate-raw' with a zlib transform as a web
// {readable, writable} pair (what pipeThrough takes) and leaves the other formats to Node.
function withDeflateRaw(Native, makeTransform) {
  return class extends Native {
    constructor(format) {
      if (format === 'deflate-raw') return Duplex.toWeb(makeTransform());
      super(format);
    }
  };
}

if (!supportsDeflateRaw(globalThis.CompressionStream)) {
  globalThis.CompressionStream = withDeflateRaw(globalThis.CompressionStream, createDeflateRaw);
}
if (!supportsDeflateRaw(globalThis.DecompressionStream)) {
  globalThis.DecompressionStream = withDeflateRaw(globalThis.DecompressionStream, createInflateRaw);
}
