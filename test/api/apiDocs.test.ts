/** docs/api.md is what scripts/api-docs.ts generates from the doc comments (npm run docs writes it). */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiReference, withDeclarations } from '../../scripts/api-docs.js';

describe('docs/api.md', () => {
  it('is what the declarations and their doc comments generate (npm run docs writes it)', () => {
    const committed = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'api.md'), 'utf8');
    expect(committed).toBe(withDeclarations(apiReference));
  });
});
