/**
 * The pretrained generators shipped with the demo, in public/checkpoints/.
 * They are generator-only float16 exports (`forger train`, then the web
 * export), so they carry no discriminator and the "nice" toggle stays hidden
 * for them. URLs are relative so the built site works from any sub-path.
 */
export interface BundledCheckpoint {
  id: string;
  label: string;
  url: string;
}

export const bundledCheckpoints: BundledCheckpoint[] = [
  { id: 'dcgan', label: 'DCGAN · MNIST', url: 'checkpoints/mnist-dcgan.forger' },
  { id: 'vanilla', label: 'Vanilla GAN · MNIST', url: 'checkpoints/mnist-vanilla.forger' },
  // conditional: the page shows a digit picker for it (class-picker.ts)
  { id: 'acgan', label: 'ACGAN · MNIST (pick a digit)', url: 'checkpoints/mnist-acgan.forger' },
];
