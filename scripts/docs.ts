/**
 * Writes the generated docs: docs/cli.md from the command and settings tables, and docs/api.md from the doc comments
 * of the four entries' declarations (scripts/api-docs.ts emits them with tsc first, so no build is needed). Tests
 * fail when a committed file is stale, so run this after changing a setting, a command, a flag or an exported name or
 * its doc comment.
 *
 *     npm run docs
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliReference } from '../src/cli/help.js';
import { writeApiDocs } from './api-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(root, 'docs', 'cli.md'), cliReference());
console.log('wrote docs/cli.md');
writeApiDocs();
console.log('wrote docs/api.md');
