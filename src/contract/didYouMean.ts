/**
 * "Did you mean": the nearest known word to a mistyped one, by edit distance (insertions, deletions, substitutions
 * and swaps of neighbours each cost 1), close enough to be a typo of it: `--lrr` → `--lr`, `swep` → `sweep`.
 */

/** Optimal string alignment distance between a and b. */
export function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/**
 * The known word nearest to `word` within a typo's reach (one edit for words up to four letters, two beyond), or one
 * that `word` starts or ends (a prefix such as `--train` of `--train-limit`); null when none is close.
 */
export function nearest(word: string, known: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = editDistance(w, k.toLowerCase());
    if (dist < bestDistance) {
      best = k;
      bestDistance = dist;
    }
  }
  if (best !== null && bestDistance <= (w.length <= 4 ? 1 : 2)) return best;
  const prefixed = known.filter((k) => k.startsWith(w) && w.length >= 3);
  return prefixed.length === 1 ? prefixed[0] : null;
}
