import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOXIC_TYPES, toxicAttributes, ToxicError } from '../../../toxiproxy/tcp/index.js';

describe('toxic attributes', () => {
  it('lists the seven Toxiproxy toxic types', () => {
    assert.deepEqual([...TOXIC_TYPES].sort(), ['bandwidth', 'latency', 'limit_data', 'reset_peer', 'slicer', 'slow_close', 'timeout']);
  });

  it('fills every absent attribute with 0 and ignores unknown ones, as Go decodes into the struct', () => {
    assert.deepEqual(toxicAttributes('latency', { latency: 100, colour: 'blue' }), { latency: 100, jitter: 0 });
    assert.deepEqual(toxicAttributes('bandwidth', undefined), { rate: 0 });
    assert.deepEqual(toxicAttributes('timeout', null), { timeout: 0 });
    assert.deepEqual(toxicAttributes('reset_peer', { timeout: null }), { timeout: 0 });
    assert.deepEqual(toxicAttributes('slow_close', { delay: 50 }), { delay: 50 });
    assert.deepEqual(toxicAttributes('limit_data', { bytes: 10 }), { bytes: 10 });
    assert.deepEqual(toxicAttributes('slicer', { average_size: 10, size_variation: 3, delay: 20 }), { average_size: 10, size_variation: 3, delay: 20 });
  });

  const bad: readonly [string, string, unknown, string | undefined, RegExp][] = [
    ['an unknown type', 'latancy', {}, undefined, /invalid toxic type "latancy": use one of latency, bandwidth/],
    ['attributes that are not an object', 'latency', [1], undefined, /attributes of a latency toxic must be an object, not an array/],
    ['a string where Go wants an int64', 'latency', { latency: '100' }, 'latency', /^latency: expected a whole number of ms, got "100"$/],
    ['a fraction', 'bandwidth', { rate: 1.5 }, 'rate', /^rate: expected a whole number of KB\/s, got 1.5$/],
    ['a number beyond 2^53', 'limit_data', { bytes: 2 ** 60 }, 'bytes', /^bytes: expected a whole number of bytes/],
    ['a negative duration', 'slow_close', { delay: -1 }, 'delay', /^delay: must be at least 0 ms, got -1$/],
    ['a slicer without an average size', 'slicer', { delay: 10 }, 'average_size', /^average_size: required for a slicer toxic \(bytes, at least 1\)$/],
    ['a slicer of 0-byte pieces', 'slicer', { average_size: 0 }, 'average_size', /^average_size: must be at least 1 bytes, got 0$/],
    ['a variation as large as the average', 'slicer', { average_size: 4, size_variation: 4 }, 'size_variation', /^size_variation: must be smaller than average_size \(4\)/],
  ];
  for (const [what, type, attributes, attribute, message] of bad) {
    it(`refuses ${what}, naming the attribute`, () => {
      assert.throws(
        () => toxicAttributes(type, attributes),
        (err: unknown) => {
          assert.ok(err instanceof ToxicError);
          assert.equal(err.code, attribute === undefined && type === 'latancy' ? 'INVALID_TOXIC_TYPE' : 'INVALID_TOXIC_ATTRIBUTE');
          assert.equal(err.attribute, attribute);
          assert.match(err.message, message);
          return true;
        },
      );
    });
  }
});
