import { coreReady } from '@forger/core';
export const modelsReady = coreReady;
