// Loaded with `node --import` by tests of inputs that cost more than their size: writes the process's peak resident
// memory (kB) to the file FLUCTLAB_MAX_RSS names when it exits.
import { writeFileSync } from 'node:fs';

process.on('exit', () => {
  if (process.env.FLUCTLAB_MAX_RSS) writeFileSync(process.env.FLUCTLAB_MAX_RSS, String(process.resourceUsage().maxRSS));
});
