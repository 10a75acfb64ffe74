export { forger } from '@forger/proto';
export const coreReady = true;
