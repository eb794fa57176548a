'use strict';
// LSP base-protocol framing: `Content-Length: N\r\n` (plus optional headers), `\r\n`, then N
// bytes of UTF-8 JSON. `encode` writes one frame; `FrameDecoder` reads frames from a stream fed
// in chunks of any size (split mid-header, mid-body, or several frames in one chunk).

const HEADER_END = Buffer.from('\r\n\r\n');
/** A header block longer than this without its end cannot be resynchronised. */
const MAX_HEADER_BYTES = 8192;

/** One message as a frame. */
function encode(message) {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

class FramingError extends Error {
  /** @param {string} message @param {boolean} fatal the stream cannot go on */
  constructor(message, fatal) {
    super(message);
    this.name = 'FramingError';
    this.fatal = fatal;
  }
}

/**
 * Reads frames. `onMessage(value)` gets every parsed JSON body; `onError(FramingError)` gets
 * malformed headers and bodies (skipped when the frame's extent is known, fatal otherwise).
 */
class FrameDecoder {
  constructor(onMessage, onError = () => {}) {
    this.onMessage = onMessage;
    this.onError = onError;
    this.buffer = Buffer.alloc(0);
    this.bodyLength = -1; // the body length of the frame being read, once its header is read
    this.discard = false; // the body being read belongs to a malformed header
    this.failed = false;
  }

  push(chunk) {
    if (this.failed) return;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.bodyLength < 0) {
        const end = this.buffer.indexOf(HEADER_END);
        if (end < 0) {
          if (this.buffer.length > MAX_HEADER_BYTES) {
            this.failed = true;
            this.onError(new FramingError(`a header block longer than ${MAX_HEADER_BYTES} bytes without its end`, true));
          }
          return;
        }
        const header = this.buffer.subarray(0, end).toString('ascii');
        this.buffer = this.buffer.subarray(end + HEADER_END.length);
        const { length, problem } = parseHeader(header);
        if (problem) this.onError(new FramingError(problem, false));
        if (length === null) continue;
        this.bodyLength = length;
        this.discard = Boolean(problem);
      }
      if (this.buffer.length < this.bodyLength) return;
      const body = this.buffer.subarray(0, this.bodyLength);
      this.buffer = this.buffer.subarray(this.bodyLength);
      this.bodyLength = -1;
      if (this.discard) continue;
      let value;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch (error) {
        this.onError(new FramingError(`a body that is not JSON: ${error.message}`, false));
        continue;
      }
      this.onMessage(value);
    }
  }
}

/**
 * A header block's Content-Length (null when unknown) and what is wrong with it, if anything.
 * A frame whose length is known but whose header is otherwise malformed is skipped whole.
 */
function parseHeader(header) {
  let length = null;
  let problem = null;
  for (const line of header.split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon <= 0) {
      problem = problem || `a malformed header line: ${JSON.stringify(line)}`;
      continue;
    }
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'content-length') {
      if (/^\d+$/.test(value)) length = Number(value);
      else problem = problem || `a Content-Length that is not a number: ${JSON.stringify(value)}`;
    } else if (name === 'content-type' && /charset=/i.test(value) && !/charset=["']?utf-?8/i.test(value)) {
      problem = problem || `a charset other than utf-8: ${JSON.stringify(value)}`;
    }
  }
  if (length === null) problem = problem || 'a header block without Content-Length';
  return { length, problem };
}

module.exports = { encode, FrameDecoder, FramingError, MAX_HEADER_BYTES };
