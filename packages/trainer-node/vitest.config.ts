import { forgerVitestConfig } from '@forger/config/vitest';

// scripts/ holds the ablation's arms, which a test checks against the CLI before an hour-long run finds them refused
export default forgerVitestConfig({ test: { include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'] } });
