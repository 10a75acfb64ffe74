import { createRequire } from 'node:module';

// src/version.ts and dist/version.js both sit one folder below package.json
const packageJson = createRequire(import.meta.url)('../package.json') as { version: string };

/** Written into every checkpoint's provenance.forgerVersion. */
export const FORGER_VERSION: string = packageJson.version;
