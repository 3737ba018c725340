/**
 * OpenSSH's host patterns, shared by ~/.ssh/config `Host` lines and known_hosts host lists: `*` matches
 * any run of characters, `?` one character, a leading `!` negates (a negated match rules the list out),
 * case-insensitive.
 *
 *   matchHostPatterns(['*.lab', '!bad.lab'], 'gpu1.lab') // true
 */

function patternRegex(pattern: string): RegExp {
  const body = pattern
    .split('')
    .map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${body}$`, 'i');
}

export function matchHostPattern(pattern: string, name: string): boolean {
  return patternRegex(pattern).test(name);
}

/** True when a positive pattern matches and no negated one does. */
export function matchHostPatterns(patterns: string[], name: string): boolean {
  let matched = false;
  for (const raw of patterns) {
    const pattern = raw.trim();
    if (!pattern) continue;
    if (pattern.startsWith('!')) {
      if (matchHostPattern(pattern.slice(1), name)) return false;
    } else if (matchHostPattern(pattern, name)) matched = true;
  }
  return matched;
}
