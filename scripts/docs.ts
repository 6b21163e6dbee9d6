/**
 * Writes the generated docs: docs/cli.md from the command and settings tables. Tests fail when a committed file is
 * stale, so run this after changing a setting, a command or a flag.
 *
 *     npm run docs
 */
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliReference } from '../src/cli/help.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
writeFileSync(join(root, 'docs', 'cli.md'), cliReference());
console.log('wrote docs/cli.md');
