// Shared vitest settings. Workspace packages are imported from their TypeScript
// source through the "@forger/source" export condition, so a test never runs
// against a stale dist/ of a sibling package.
import { defineConfig } from 'vitest/config';
import { defaultServerConditions, defaultClientConditions } from 'vite';

export const sourceCondition = '@forger/source';

export function forgerVitestConfig(overrides = {}) {
  return defineConfig({
    resolve: { conditions: [sourceCondition, ...defaultClientConditions] },
    ssr: { resolve: { conditions: [sourceCondition, ...defaultServerConditions], externalConditions: [sourceCondition] } },
    test: {
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 60_000,
      hookTimeout: 120_000,
      pool: 'forks',
      ...overrides.test,
    },
    ...(overrides.root ? { root: overrides.root } : {}),
  });
}
