// Generates the static protobufjs modules and their type declarations from the
// schemas. Generated code lives in gen/ (git-ignored) and is never edited by hand.
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
/** One static ES module (and its .d.ts) per schema. */
function generate({ schemas, out, rootName }) {
  const outJs = join(root, 'gen', `${out}.js`);
  const outDts = join(root, 'gen', `${out}.d.ts`);
  execFileSync(
    process.execPath,
    [pbjs, '-t', 'static-module', '-w', 'es6', '--force-number', '--no-verify', '--no-delimited', '--no-service', '-r', rootName, '-p', root, '-o', outJs, ...schemas],
    { stdio: 'inherit' },
  );
  // Node's ESM loader needs the file extension on a deep import.
  writeFileSync(outJs, readFileSync(outJs, 'utf8').replace(/from "protobufjs\/minimal"/g, 'from "protobufjs/minimal.js"'));
  execFileSync(process.execPath, [pbts, '-o', outDts, outJs], { stdio: 'inherit' });
  console.log(`generated ${outJs} and ${outDts}`);
}

mkdirSync(join(root, 'gen'), { recursive: true });
generate({ schemas: [join(root, 'forger', 'v1', 'checkpoint.proto')], out: 'checkpoint', rootName: 'default' });
// TensorFlow's own event and summary messages (a subset), for the TensorBoard event files `forger train` writes
generate({
  schemas: [join(root, 'tensorflow', 'core', 'util', 'event.proto'), join(root, 'tensorflow', 'core', 'framework', 'summary.proto')],
  out: 'tensorboard',
  rootName: 'tensorboard',
});
