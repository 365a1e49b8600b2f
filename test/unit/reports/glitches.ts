// What word substitution and pasted titles write, as a checker every golden file passes: article
// and noun glitches ("a an", "the an"), doubled words, a target named twice ("on the role on role
// …"), two bracket groups in a row, internal kind names, and raw ISO times or action ids where a
// person would write "14:32 UTC" or "Isolate instance …".

import { ACTION_META } from '../../../src/actions/meta.js';

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const ACTION_IDS = new RegExp(`(?<![\\w.])(?:${ACTION_META.map((m) => esc(m.id)).join('|')})(?![\\w-])`, 'g');
const NOUNS = 'role|instance|pod|user|bucket|namespace|node|access key|key';

/** Article and noun glitches that word substitution produces. */
export function proseGlitches(text: string): string[] {
  const out: string[] = [];
  for (const re of [
    /\b(a|an|the) (a|an|the)\b/gi,
    /\b(\w+) \1\b/gi,
    /\ba [aeiou]\w*/gi,
    /\ban [bcdfgjklmnpqrstvwxz]\w*/gi,
    // "on the role on role orders-api-prod", "for pod x for pod x"
    /\b(on|for|of|in) (?:the )?([\w-]+) \1 (?:the )?\2\b/gi,
    new RegExp(`\\bthe (${NOUNS}) (?:on|for|of) \\1\\b`, 'gi'),
    // "i-0abc (build-runner-7) (instance)"
    /\([^()\n]*\)[ \t]+\([^()\n]*\)/g,
    /\((?:iam-role|iam-user|access-key|vault-prefix|instance|pod|bucket|namespace|node|evidence)\)/g,
    /\b\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?Z?\b/g,
    ACTION_IDS,
  ])
    for (const m of text.matchAll(re)) out.push(m[0]);
  // "an hour", "a user", "a one-off", "a unique" read well; the patterns above are close enough
  // that the templates avoid them rather than the test listing exceptions.
  return out;
}

/** A draft's prose: without the DRAFT banner (instructions to the sender) and inline code. */
export function prose(md: string): string {
  return md
    .split('\n')
    .filter((l) => !l.startsWith('>'))
    .join('\n')
    .replace(/`[^`\n]*`/g, '');
}
