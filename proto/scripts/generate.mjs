// Generates the static protobufjs module and its type declarations from the
// schema. Generated code lives in gen/ (git-ignored) and is never edited by hand.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const cliDir = dirname(require.resolve('protobufjs-cli/package.json'));
const pbjs = join(cliDir, 'bin', 'pbjs');
const pbts = join(cliDir, 'bin', 'pbts');
const schema = join(root, 'forger', 'v1', 'checkpoint.proto');
const outJs = join(root, 'gen', 'checkpoint.js');
const outDts = join(root, 'gen', 'checkpoint.d.ts');

mkdirSync(join(root, 'gen'), { recursive: true });
execFileSync(process.execPath, [pbjs, '-t', 'static-module', '-w', 'es6', '--force-number', '--no-verify', '--no-delimited', '--no-service', '-o', outJs, schema], { stdio: 'inherit' });
// Node's ESM loader needs the file extension on a deep import.
writeFileSync(outJs, readFileSync(outJs, 'utf8').replace(/from "protobufjs\/minimal"/g, 'from "protobufjs/minimal.js"'));
execFileSync(process.execPath, [pbts, '-o', outDts, outJs], { stdio: 'inherit' });
console.log(`generated ${outJs} and ${outDts}`);
