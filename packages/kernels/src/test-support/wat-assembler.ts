import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import wabtFactory from 'wabt';

/**
 * The kernels' hand-written WebAssembly: each `src/**\/<name>.wat` is assembled (wabt's wat2wasm, SIMD on) into
 * `<name>-wasm.ts` beside it, a byte array the package ships, so nothing assembles at run time. The generator
 * script writes those files; a test assembles again and checks the shipped bytes are the source's.
 */
export const WAT_SOURCES = ['optimizers/adam-update.wat', 'training/dropout-mask.wat'] as const;

/** The .wat's binary module, deterministic (no names section). */
export async function assembleWat(path: string): Promise<Uint8Array> {
  const wabt = await wabtFactory();
  const parsed = wabt.parseWat(basename(path), readFileSync(path, 'utf8'), { simd: true });
  try {
    parsed.resolveNames();
    parsed.validate();
    return parsed.toBinary({ log: false, write_debug_names: false }).buffer;
  } finally {
    parsed.destroy();
  }
}

/** `adam-update.wat` → `adamUpdateWasm` in `adam-update-wasm.ts`. */
export function generatedModuleOf(watPath: string): { path: string; constName: string } {
  const stem = basename(watPath, '.wat');
  const camel = stem.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  return { path: join(dirname(watPath), `${stem}-wasm.ts`), constName: `${camel}Wasm` };
}

/** The TypeScript file that ships `bytes`. */
export function generatedModuleText(watPath: string, bytes: Uint8Array): string {
  const { constName } = generatedModuleOf(watPath);
  const rows: string[] = [];
  for (let i = 0; i < bytes.length; i += 24) rows.push(`  ${Array.from(bytes.subarray(i, i + 24)).join(', ')},`);
  return `// Generated from ${basename(watPath)} by \`pnpm --filter @forger/kernels assemble:wasm\`: do not edit.
/** The WebAssembly module of ${basename(watPath)} (${bytes.length} bytes). */
export const ${constName} = new Uint8Array([
${rows.join('\n')}
]);
`;
}
