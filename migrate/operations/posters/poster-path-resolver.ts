import path from 'node:path';

/**
 * Maps a row's poster path (as the monolith stored it: absolute on its disk, or relative) to a file
 * found under --from. A path inside --from maps directly; otherwise the longest trailing part of the
 * path that names a known file wins, so `/var/www/uploads/posters/2019/a.jpg` finds
 * `posters/2019/a.jpg` when the files were copied elsewhere.
 */
export class PosterPathResolver {
  private readonly known: ReadonlySet<string>;

  constructor(
    private readonly root: string,
    relativePaths: Iterable<string>,
  ) {
    this.known = new Set(relativePaths);
  }

  resolve(posterPath: string): string | undefined {
    const normalised = posterPath.normalize('NFC').replaceAll('\\', '/');
    if (path.isAbsolute(normalised)) {
      const relative = path.relative(this.root, normalised).split(path.sep).join('/');
      if (!relative.startsWith('..') && this.known.has(relative)) return relative;
    }
    const segments = normalised.split('/').filter((segment) => segment !== '' && segment !== '.');
    for (let start = 0; start < segments.length; start += 1) {
      const candidate = segments.slice(start).join('/');
      if (this.known.has(candidate)) return candidate;
    }
    return undefined;
  }
}
