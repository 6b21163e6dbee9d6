/**
 * The committed WebAssembly bytes (src/engine/recording/wasm/recorderWasm.ts) are the
 * compile of the committed recorder.wat: editing one without regenerating the
 * other (npm run build:wasm) fails here.
 */
import { describe, expect, it } from 'vitest';
import { compileRecorderWat, renderModuleSource } from '../../../scripts/build-wasm.js';
import { RECORDER_WASM, RECORDER_WASM_SHARED } from '../../../src/engine/recording/wasm/recorderWasm.js';

describe("the recorder's WebAssembly module", () => {
  it('is exactly the compile of recorder.wat, in both builds', async () => {
    const fresh = await compileRecorderWat();
    expect(Array.from(RECORDER_WASM)).toEqual(Array.from(fresh.plain));
    expect(Array.from(RECORDER_WASM_SHARED)).toEqual(Array.from(fresh.shared));
  });

  it('renders to a TypeScript module holding the bytes of both builds', () => {
    const source = renderModuleSource({ plain: new Uint8Array([0, 97, 115, 109]), shared: new Uint8Array([1, 2]) });
    expect(source).toContain('export const RECORDER_WASM = new Uint8Array([\n  0, 97, 115, 109,\n]);');
    expect(source).toContain('export const RECORDER_WASM_SHARED = new Uint8Array([\n  1, 2,\n]);');
    expect(source).toContain('GENERATED');
  });

  it("stays under 4 KB, the limit for synchronous compiles on a browser's main thread", () => {
    expect(RECORDER_WASM.length).toBeLessThan(4096);
    expect(RECORDER_WASM_SHARED.length).toBeLessThan(4096);
  });

  it('validates, imports only a memory (shared in the shared build) and exports the accumulate pass', () => {
    for (const bytes of [RECORDER_WASM, RECORDER_WASM_SHARED]) {
      expect(WebAssembly.validate(bytes)).toBe(true);
      const mod = new WebAssembly.Module(bytes);
      expect(WebAssembly.Module.imports(mod)).toEqual([{ module: 'env', name: 'memory', kind: 'memory' }]);
      expect(WebAssembly.Module.exports(mod)).toEqual([{ name: 'accumulate', kind: 'function' }]);
    }
    const plainMemory = new WebAssembly.Memory({ initial: 1 });
    const sharedMemory = new WebAssembly.Memory({ initial: 1, maximum: 16, shared: true });
    expect(
      () => new WebAssembly.Instance(new WebAssembly.Module(RECORDER_WASM), { env: { memory: sharedMemory } }),
    ).toThrow();
    expect(
      () => new WebAssembly.Instance(new WebAssembly.Module(RECORDER_WASM_SHARED), { env: { memory: plainMemory } }),
    ).toThrow();
  });
});
