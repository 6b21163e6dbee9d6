/**
 * The committed WebAssembly bytes (src/core/wasm/recorderWasm.ts) are the
 * compile of the committed recorder.wat: editing one without regenerating the
 * other (npm run build:wasm) fails here.
 */
import { describe, expect, it } from 'vitest';
import { compileRecorderWat, renderModuleSource } from '../../scripts/build-wasm.js';
import { RECORDER_WASM } from '../../src/core/wasm/recorderWasm.js';

describe('the recorder\'s WebAssembly module', () => {
  it('is exactly the compile of recorder.wat', async () => {
    const fresh = await compileRecorderWat();
    expect(Array.from(RECORDER_WASM)).toEqual(Array.from(fresh));
  });

  it('renders to a TypeScript module holding the same bytes', async () => {
    const source = renderModuleSource(new Uint8Array([0, 97, 115, 109]));
    expect(source).toContain('export const RECORDER_WASM = new Uint8Array([\n  0, 97, 115, 109,\n]);');
    expect(source).toContain('GENERATED');
  });

  it('stays under 4 KB, the limit for synchronous compiles on a browser\'s main thread', () => {
    expect(RECORDER_WASM.length).toBeLessThan(4096);
  });

  it('validates, imports only a memory and exports the accumulate pass', () => {
    expect(WebAssembly.validate(RECORDER_WASM)).toBe(true);
    const mod = new WebAssembly.Module(RECORDER_WASM);
    expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
    expect(WebAssembly.Module.exports(mod)).toEqual([{ name: 'accumulate', kind: 'function' }]);
  });
});
