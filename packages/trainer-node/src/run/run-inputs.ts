import type { Dataset } from '@forger/data';
import { loadDataset } from '@forger/data/node';
import type { BackendInfo } from '../backends/index.js';
import type { CliIo } from '../io/cli-io.js';
import { datasetSource } from './dataset-source.js';
import { startBackend } from './start-backend.js';
import type { TrainConfig } from './train-config.js';

/**
 * What every kind of run (GAN training, the supervised baseline) checks first, before anything is written: the
 * backend (which also registers the gradients and training kernels) and the training split of the dataset.
 */
export async function prepareRunInputs(config: TrainConfig, io: CliIo): Promise<{ say: (line: string) => void; backend: BackendInfo; dataset: Dataset }> {
  const say = (line: string): void => {
    io.stdout.write(`${line}\n`);
  };
  const backend = await startBackend(config.backend, io, say, config.wasmThreads);
  const dataset = await loadDataset(datasetSource(config.dataset), {
    split: 'train',
    ...(config.dataDir !== undefined ? { dataDir: config.dataDir } : {}),
  });
  return { say, backend, dataset };
}
