import { forgerVitestConfig } from '@forger/config/vitest';

export default forgerVitestConfig();
