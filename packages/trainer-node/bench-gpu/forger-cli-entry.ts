// The forger CLI as one esbuild file for the GPU bundle (pack.sh). In a bundle, registerGradients' dynamic import
// of tfjs-core's bundler-style gradients file cannot resolve: import it statically here, as bench-gpu.ts does, and
// registerGradients finds the gradients already registered. main.ts then runs the command line (the bundle is the entry).
import '@tensorflow/tfjs-core/dist/register_all_gradients.js';
import '../src/cli/main.js';
