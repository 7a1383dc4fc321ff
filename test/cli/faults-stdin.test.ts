import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { ConfigError } from '../../proxy/config/config-error.js';
import { readTextStream } from '../../proxy/config/text-file.js';

// `faults add -` reads standard input under the same checks as a file.
describe('reading a rules file from standard input', () => {
  const refused = (pattern: RegExp) => (err: unknown) => err instanceof ConfigError && pattern.test(err.message);

  it('returns the text, without a byte-order mark', async () => {
    assert.equal(await readTextStream(Readable.from([Buffer.from('\uFEFFtarget: a\n'), Buffer.from('ttl: 1m\n')])), 'target: a\nttl: 1m\n');
  });

  it('stops reading past the size limit, naming <stdin>', async () => {
    let pulled = 0;
    const endless = new Readable({ read() { pulled++; this.push(Buffer.alloc(64 * 1024, 0x61)); } });
    await assert.rejects(readTextStream(endless, '<stdin>', 256 * 1024), refused(/^<stdin>: the text is larger than 256 KiB/));
    assert.ok(pulled < 10, `stopped after the limit (read ${pulled} chunks)`);
  });

  it('refuses UTF-16 and bytes that are not UTF-8, as for a file', async () => {
    await assert.rejects(readTextStream(Readable.from([Buffer.from([0xff, 0xfe, 0x61, 0])])), refused(/UTF-16 \(little-endian\)/));
    await assert.rejects(readTextStream(Readable.from([Buffer.from([0x61, 0x0a, 0xc3])])), refused(/^<stdin>:2:1 byte 0xc3 is not UTF-8/));
  });
});
