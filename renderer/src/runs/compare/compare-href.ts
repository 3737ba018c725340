/** The address of the comparison of these runs (the first is the baseline at first). */
export function compareHref(ids: readonly string[]): string {
  return `#/compare/${ids.map(encodeURIComponent).join('/')}`;
}
