// Test-only helpers other packages' tests share (not built, not published): `@forger/core/test-support`
// resolves only under the `@forger/source` condition that the workspace's tsconfig and vitest use.
export { encodeUnchecked, hostileCorpus, inEnvelope, scaleBombTensor, type HostileFile } from './hostile-corpus.js';
