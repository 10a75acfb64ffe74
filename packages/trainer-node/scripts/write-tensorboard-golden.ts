// Regenerates testdata/events.out.tfevents.1700000000.forger-golden from the fixed inputs of
// src/test-support/tensorboard-golden.ts. Run only when the event format written changes on purpose:
//   cd packages/trainer-node && pnpm exec tsx --conditions=@forger/source scripts/write-tensorboard-golden.ts
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { GOLDEN_EVENT_FILE, writeGoldenEventFile } from '../src/test-support/tensorboard-golden.js';

const bytes = await writeGoldenEventFile();
await writeFile(GOLDEN_EVENT_FILE, bytes);
console.log(`wrote ${fileURLToPath(GOLDEN_EVENT_FILE)} (${bytes.length} bytes)`);
