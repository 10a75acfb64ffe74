// '@forger/models/test-support' (source only, never built or shipped): the cases other packages' tests share with
// the models' own, so that every backend is held to the same hand computation.
export * from './layer-hand-cases.js';
