/**
 * Imports a package the user may or may not have installed, by a variable specifier so that tsc and
 * bundlers neither require it nor try to resolve it at build time (tfjs-node, tfjs-node-gpu, and the
 * webgpu module when a GPU bundle loads it later). Resolves to undefined when the package itself is
 * absent; any other failure (a broken native binding, a missing shared library) is rethrown.
 *
 * A bare specifier resolves from the file that imports it: a package that installs tfjs-node for itself passes
 * its own `(s) => import(s)` so the search starts from its node_modules, not this package's.
 */
export async function importOptional<T = Record<string, unknown>>(
  specifier: string, load: (specifier: string) => Promise<unknown> = (s) => import(s),
): Promise<T | undefined> {
  try {
    return (await load(specifier)) as T;
  } catch (error) {
    if (isModuleNotFound(error, specifier)) return undefined;
    throw error;
  }
}

function isModuleNotFound(error: unknown, specifier: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // Only the package asked for: a dependency of it that is missing is a broken install, not an absence.
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(`'${specifier}'`) || message.includes(`"${specifier}"`);
}
