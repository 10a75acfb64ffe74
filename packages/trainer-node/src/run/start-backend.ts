import { prepareBackend, type BackendChoice, type BackendInfo } from '../backends/index.js';
import type { CliIo } from '../io/cli-io.js';

/**
 * Prepares the backend of a command and says which one in one line. The trail of how `auto` chose (each backend
 * tried and why it was skipped) and what the native libraries printed while probing come only with --verbose:
 * without it a machine with no GPU prints the chosen backend, not Dawn's complaints about its Vulkan driver.
 */
export async function startBackend(choice: BackendChoice, io: CliIo, say: (line: string) => void): Promise<BackendInfo> {
  const backend = await prepareBackend(choice, io.verbose ? { log: say } : {});
  if (io.verbose && backend.nativeOutput) say(`native output of the backend probe:\n${backend.nativeOutput.trimEnd()}`);
  say(backend.description);
  return backend;
}
