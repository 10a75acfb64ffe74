import { getGradient } from '@tensorflow/tfjs-core';
import { register } from 'node:module';

/**
 * Registers tfjs-core's gradient functions (tf.grad, optimizer.minimize need them).
 *
 * tfjs-core's Node entry (tf-core.node.js) carries no gradients: the `@tensorflow/tfjs` union package
 * normally side-effect-imports `@tensorflow/tfjs-core/dist/register_all_gradients`. That file is ESM
 * written for bundlers, with extensionless relative imports (`./gradients/Abs_grad`) that Node's ESM
 * resolver refuses. Vite/vitest and bundlers resolve them; plain Node needs a resolve hook that retries
 * such a specifier with `.js` (or `/index.js`), limited to files inside @tensorflow packages.
 * The ESM copy of tfjs-core that this loads shares the engine and the registries with the CJS one
 * through tfjs's global namespace, so the gradients land where the backends look.
 */
export async function registerGradients(): Promise<void> {
  if (getGradient('RealDiv') !== undefined) return;
  if (!hookRegistered && typeof register === 'function') {
    register(`data:text/javascript,${encodeURIComponent(extensionlessResolveHook)}`);
    hookRegistered = true;
  }
  // A variable specifier keeps tsc from checking a path that only exists as a bundler-style file.
  const gradientsModule = '@tensorflow/tfjs-core/dist/register_all_gradients.js';
  await import(gradientsModule);
  if (getGradient('RealDiv') === undefined) {
    throw new Error(`loading ${gradientsModule} registered no gradients: two unrelated copies of @tensorflow/tfjs-core are installed`);
  }
}

let hookRegistered = false;

const extensionlessResolveHook = `
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (error) {
    const fromTfjs = context.parentURL !== undefined && context.parentURL.includes('/@tensorflow/');
    const relative = specifier.startsWith('./') || specifier.startsWith('../');
    if (!fromTfjs || !relative) throw error;
    // './gradients' names both gradients.js and a gradients/ folder: the file wins, as in bundlers.
    try {
      return await next(specifier + '.js', context);
    } catch {
      return next(specifier + '/index.js', context);
    }
  }
}`;
