#!/usr/bin/env node
import { main } from '../dist/cli/cli.js';

// Exit only once stdout has drained: on a pipe its writes are asynchronous, and a large --json result was cut off at 64 KB.
main(process.argv.slice(2)).then((code) => process.stdout.write('', () => process.exit(code)));
