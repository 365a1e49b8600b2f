// firebreak's own words go through the same redactor as attacker text (a plan's warnings, an
// action's messages and hints are journaled like everything else). A rule that fires on them
// turns "the user keeps its keys and password: this denies…" into "[REDACTED:password:…] denies",
// and the responder loses the caveat. Every string the action code writes must come out as it went in.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { redactText } from '../../../src/safety/redact.js';

const ROOT = join(import.meta.dirname, '../../../src/actions');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** The literal parts of every string and template literal with a word a secret rule keys on. */
function ownTexts(): { file: string; text: string }[] {
  const out: { file: string; text: string }[] = [];
  for (const file of sources(ROOT)) {
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
    const keep = (text: string) => {
      if (/password|secret|token|key|credential/i.test(text) && text.trim().length >= 12)
        out.push({ file: file.slice(ROOT.length + 1), text });
    };
    const visit = (n: ts.Node): void => {
      if (ts.isStringLiteral(n) || ts.isNoSubstitutionTemplateLiteral(n)) keep(n.text);
      // A template's ${…} holes are filled at run time; its literal stretches are ours.
      else if (ts.isTemplateExpression(n))
        for (const t of [n.head, ...n.templateSpans.map((x) => x.literal)]) keep(t.text);
      ts.forEachChild(n, visit);
    };
    visit(sf);
  }
  return out;
}

describe("firebreak's own text", () => {
  const texts = ownTexts();

  it('is found (the scan reads the action code)', () => {
    expect(texts.length).toBeGreaterThan(50);
    expect(texts.map((t) => t.text)).toContain(
      'the user keeps its keys and password: this denies, it does not delete (the history stays for the investigation)',
    );
  });

  it('is never redacted', () => {
    const mangled = texts.filter((t) => redactText(t.text) !== t.text).map((t) => `${t.file}: ${t.text}`);
    expect(mangled).toEqual([]);
  });
});
