import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatAllowedPoints,
  formatConfidence,
  formatMs,
  formatP,
  formatPercent,
  formatPoints,
  formatQuantile,
  formatRatio,
  formatRatioBound,
} from '../../../../runner/canary/stats/format.js';

// [formatter, input, printed]
const table: Array<[(v: number) => string, number, string]> = [
  [formatPercent, 0.041, '4.1%'],
  [formatPercent, 0.003, '0.30%'],
  [formatPercent, 0.0004, '0.04%'],
  [formatPercent, 0, '0%'],
  [formatPercent, 1, '100.0%'],
  [formatPoints, 0.038, '+3.8'],
  [formatPoints, -0.0025, '-0.25'],
  [formatPoints, -0.000001, '+0.00'],
  [formatPoints, 0, '+0.00'],
  [formatAllowedPoints, 0.01, '+1 point'],
  [formatAllowedPoints, 0.005, '+0.5 points'],
  [formatAllowedPoints, 0.02, '+2 points'],
  [formatP, 0.012, 'p=0.012'],
  [formatP, 0.24285, 'p=0.24'],
  [formatP, 0.00031, 'p=0.00031'],
  [formatP, 0.0001, 'p=0.0001'],
  [formatP, 0.00009, 'p<0.0001'],
  [formatP, 1, 'p=1'],
  [formatConfidence, 0.95, '95%'],
  [formatConfidence, 0.999, '99.9%'],
  [formatQuantile, 0.99, 'p99'],
  [formatQuantile, 0.999, 'p99.9'],
  [formatQuantile, 0.5, 'p50'],
  [formatMs, 412.3, '412 ms'],
  [formatMs, 98, '98 ms'],
  [formatMs, 4.25, '4.3 ms'],
  [formatMs, 0.5, '0.5 ms'],
  [formatRatio, 4.2, '4.20x'],
  [formatRatio, 1.999, '2.00x'],
  [formatRatioBound, 1.2, '1.2x'],
  [formatRatioBound, 1.153, '1.15x'],
];

describe('numbers in a judgement reason', () => {
  for (const [format, input, printed] of table) {
    it(`${format.name} prints ${input} as ${printed}`, () => assert.equal(format(input), printed));
  }
});
