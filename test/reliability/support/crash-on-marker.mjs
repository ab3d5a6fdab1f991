/* global process, TextDecoder -- Node.js globals; this file runs in the service process, untranspiled */
// Preloaded into a service process (NODE_OPTIONS=--import) by the crash scenario: the process
// SIGKILLs itself as it decodes a text holding CRASH_MARKER, as a fatal bug in the decoder would.
const marker = process.env.CRASH_MARKER;
const decode = TextDecoder.prototype.decode;

TextDecoder.prototype.decode = function decodeOrCrash(...args) {
  const text = decode.apply(this, args);
  if (marker && text.includes(marker)) process.kill(process.pid, 'SIGKILL');
  return text;
};
