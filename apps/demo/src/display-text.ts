/**
 * Text from a checkpoint, made fit to show a visitor: the trainer records paths
 * as they were on its machine ("/home/ana/runs/mnist/train-images-idx3-ubyte"),
 * which say nothing to anyone else and leak the build machine's layout. Every
 * absolute path (POSIX, `~/…`, or `C:\…`) is cut to its last component.
 */
export function withoutMachinePaths(text: string): string {
  return text.replace(/(?:~|[A-Za-z]:)?(?:[\\/][^\\/\s'"`,;:()]+)+[\\/]?/g, (path, offset: number, whole: string) => {
    // Leave URLs and relative paths alone: only a path that starts the text or follows a space/quote/bracket.
    const before = offset === 0 ? '' : whole[offset - 1]!;
    if (before !== '' && !/[\s'"`(=]/.test(before)) return path;
    const parts = path.split(/[\\/]/).filter(Boolean);
    return parts[parts.length - 1] ?? path;
  });
}
