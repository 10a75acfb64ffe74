import type { Network } from '../network/network.js';

/** How many times `body` calls `network.apply` (forward passes a trainer's step makes). */
export function countApplyCalls(network: Network, body: () => void): number {
  const apply = network.apply.bind(network);
  let calls = 0;
  network.apply = (x, opts) => {
    calls++;
    return apply(x, opts);
  };
  try {
    body();
  } finally {
    network.apply = apply;
  }
  return calls;
}
