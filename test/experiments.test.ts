import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { validateFile } from '../cli/commands/validate.js';

const root = fileURLToPath(new URL('../experiments', import.meta.url));
const yamlFiles = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? yamlFiles(join(dir, e.name)) : e.name.endsWith('.yaml') ? [join(dir, e.name)] : []));

describe('example files in experiments/', () => {
  const files = yamlFiles(root);
  it('has examples to check', () => assert.ok(files.length >= 3, files.join(', ')));
  for (const file of files) {
    it(`${file.slice(root.length + 1)} is valid`, () => assert.match(validateFile(file), /mesh|fault rule|experiment|game day|canary/));
  }
});
