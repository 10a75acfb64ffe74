// Writes <name>-wasm.ts beside each of the kernels' .wat sources (see src/test-support/wat-assembler.ts).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { assembleWat, generatedModuleOf, generatedModuleText, WAT_SOURCES } from '../src/test-support/wat-assembler.js';

const src = fileURLToPath(new URL('../src/', import.meta.url));
for (const relative of WAT_SOURCES) {
  const wat = join(src, relative);
  const bytes = await assembleWat(wat);
  const { path } = generatedModuleOf(wat);
  writeFileSync(path, generatedModuleText(wat, bytes));
  console.log(`${relative} → ${path} (${bytes.length} bytes)`);
}
