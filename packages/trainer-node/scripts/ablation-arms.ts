/**
 * The arms of the tricks ablation (issue 16 item 4): the baseline is the chapter's own recipe for the family, every
 * other arm adds one trick to it through the same `forger train` flag a user would type, and the last arm is the
 * best combination: Forger's default recipe. One list per family; the script, the table and the chart derive from it.
 */
export type AblationFamily = 'vanilla' | 'dcgan';

export interface AblationArm {
  name: string;
  description: string;
  /** `forger train` flags on top of `--model <family>` */
  flags: string[];
}

/** One step budget per family, the same for every arm and seed. */
export const ABLATION_BUDGETS: Record<AblationFamily, { steps: number; batchSize: number }> = {
  // 2,000 steps of 64 (2 epochs): about 40 s of wasm per run on a quiet core, so 2 seeds × 14 arms fit in half an
  // hour on the 2-core machine even when it is shared; a short budget, so the table ranks tricks by how fast they help
  vanilla: { steps: 2000, batchSize: 64 },
  // a GPU budget (run-on-device.sh); on wasm pass a much smaller --steps and --batch-size
  dcgan: { steps: 2000, batchSize: 128 },
};

const VANILLA_BASELINE = ['--recipe', 'classic'];
const DCGAN_BASELINE = ['--recipe', 'keras-dcgan'];

function armsOn(baseline: string[], arms: Array<[string, string, string[]]>): AblationArm[] {
  return arms.map(([name, description, flags]) => ({ name, description, flags: [...baseline, ...flags] }));
}

export const ABLATION_ARMS: Record<AblationFamily, AblationArm[]> = {
  vanilla: [
    ...armsOn(VANILLA_BASELINE, [
      ['baseline', "the chapter's vanilla GAN: 128 ReLU units, sigmoid output in [0, 1], U(−1, 1) z, Adam 1e-3", []],
      ['label-smoothing', 'one-sided label smoothing, real target 0.9', ['--label-smoothing', '0.9']],
      ['two-sided-smoothing', 'real target 0.9, fake target 0.1', ['--label-smoothing', '0.9', '--fake-label', '0.1']],
      ['feature-matching', "G matches the mean of D's hidden features", ['--feature-matching']],
      ['minibatch-discrimination', 'a minibatch-discrimination layer in D', ['--minibatch-discrimination']],
      ['historical-averaging', 'penalty toward the running mean of the weights', ['--historical-averaging']],
      ['historical-window', 'the same over the last 100 steps', ['--historical-averaging', '--historical-window', '100']],
      ['tanh', 'inputs in [−1, 1], tanh output', ['--output', 'tanh']],
      ['leaky-relu', 'LeakyReLU 0.2 in G and D', ['--activation', 'leaky-relu']],
      ['normal-z', 'z ~ N(0, 1)', ['--latent-prior', 'normal']],
      ['batch-norm', "batch norm after G's hidden layer (D's only hidden layer is its input layer)", ['--norm', 'batch']],
      ['discriminator-dropout', 'dropout 0.3 after D\'s hidden layer', ['--discriminator-dropout', '0.3']],
      ['generator-dropout', 'dropout 0.5 in G, also when sampling', ['--generator-dropout', '0.5']],
      ['adam-g-sgd-d', 'Adam for G, SGD for D', ['--d-optimizer', 'sgd']],
      ['loss-threshold', 'train D only while its loss > 0.3, G while its loss > 0.3', ['--d-loss-threshold', '0.3', '--g-loss-threshold', '0.3']],
      ['generator-average', "samples drawn from a moving average of G's weights (Yazıcı et al. 2019), rate 0.001", ['--generator-average', '0.001']],
    ]),
    { name: 'forger-default', description: "Forger's default vanilla recipe (the best combination)", flags: [] },
    { name: 'default-no-average', description: "Forger's default sampling G's trained weights, not their average", flags: ['--generator-average', '0'] },
    { name: 'default-lr-1e-3', description: "Forger's default at half its learning rate (its rate before the generator average)", flags: ['--lr', '1e-3'] },
    // the combination less, or plus, one trick: what each adds on top of the others
    { name: 'default-no-smoothing', description: "Forger's default without label smoothing", flags: ['--label-smoothing', '1'] },
    { name: 'default-sigmoid', description: "Forger's default with the sigmoid output in [0, 1]", flags: ['--output', 'sigmoid'] },
    { name: 'default-feature-matching', description: "Forger's default with feature matching", flags: ['--feature-matching'] },
  ],
  dcgan: [
    ...armsOn(DCGAN_BASELINE, [
      ['baseline', 'keras-dcgan: SGD with Nesterov momentum, lr 5e-4', []],
      ['adam', 'Adam 2e-4, β1 0.5', ['--optimizer', 'adam', '--lr', '2e-4']],
      ['label-smoothing', 'one-sided label smoothing, real target 0.9', ['--label-smoothing', '0.9']],
      ['feature-matching', "G matches the mean of D's hidden features", ['--feature-matching']],
      ['minibatch-discrimination', 'a minibatch-discrimination layer in D', ['--minibatch-discrimination']],
      ['leaky-relu', 'LeakyReLU 0.2 in G and D', ['--activation', 'leaky-relu']],
      ['normal-z', 'z ~ N(0, 1)', ['--latent-prior', 'normal']],
      ['two-sided-smoothing', 'real target 0.9, fake target 0.1', ['--label-smoothing', '0.9', '--fake-label', '0.1']],
      ['historical-averaging', 'penalty toward the running mean of the weights', ['--historical-averaging']],
      // a window holds one copy of both networks per step: 100 of keras-dcgan's 10.2 M parameters would be 4.1 GB, over
      // what a checkpoint (512 MiB) or wasm's heap can hold, so this family's arm looks back 5 steps
      ['historical-window', 'the same over the last 5 steps', ['--historical-averaging', '--historical-window', '5']],
      // keras-dcgan's G already has batch norm and a tanh output, so the arms that add them on the vanilla recipe have
      // no counterpart here, and its D has no batch norm for --bn-batches mixed to act on (refused: exit 2); instance
      // norm is the chapter's alternative to batch norm
      ['instance-norm', "instance norm in place of G's batch norm", ['--norm', 'instance']],
      ['average-pool', 'D downsamples by average pooling', ['--downsample', 'average-pool']],
      ['strided', 'D downsamples by strided convolutions', ['--downsample', 'strided']],
      ['bilinear', 'G upsamples bilinearly', ['--upsample', 'bilinear']],
      ['transposed', 'G upsamples by transposed convolutions', ['--upsample', 'transposed']],
      ['pixel-shuffle', 'G upsamples by PixelShuffle', ['--upsample', 'pixel-shuffle']],
      ['discriminator-dropout', 'dropout 0.3 in D', ['--discriminator-dropout', '0.3']],
      ['generator-dropout', 'dropout 0.5 in G, also when sampling', ['--generator-dropout', '0.5']],
      ['adam-g-sgd-d', "Adam for G (at the recipe's Adam rate), SGD for D", ['--g-optimizer', 'adam']],
      ['loss-threshold', 'train D only while its loss > 0.3, G while its loss > 0.3', ['--d-loss-threshold', '0.3', '--g-loss-threshold', '0.3']],
      ['generator-average', "samples drawn from a moving average of G's weights (Yazıcı et al. 2019), rate 0.001", ['--generator-average', '0.001']],
    ]),
    // the best combination on keras-dcgan's networks: together the tricks whose arms beat the baseline's FID on both
    // seeds at the wasm budget (Adam 2e-4, minibatch discrimination, N(0, 1) z, instance norm; the loss-threshold
    // schedule did on one seed only, Adam for G alone on neither); what they add up to on the recipe's own networks
    {
      name: 'combination', description: 'keras-dcgan with the tricks that helped alone: Adam 2e-4, minibatch discrimination, N(0, 1) z, instance norm',
      flags: [...DCGAN_BASELINE, '--optimizer', 'adam', '--lr', '2e-4', '--minibatch-discrimination', '--latent-prior', 'normal', '--norm', 'instance'],
    },
    // the paper's own recipe on its networks (Adam 2e-4, no generator average): what this arm measured before those
    // networks became Forger's dcgan default, whose Adam 2e-3 and average the forger-default arm adds
    { name: 'radford', description: "the chapter's DCGAN guidelines (Radford et al. 2015) with the paper's Adam 2e-4", flags: ['--architecture', 'radford', '--lr', '2e-4', '--generator-average', '0', '--extra-layers', '0'] },
    { name: 'forger-default', description: "Forger's default dcgan recipe (the radford networks with three extra layers each, Adam 2e-3, a generator average)", flags: [] },
  ],
};
