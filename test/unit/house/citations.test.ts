// Comments cite what a reader of the repository can open: a file in it or an upstream URL. A
// citation of a note kept outside the repository (a research section, a style guide, a tracker's
// issue number) or of a file that was renamed away sends the reader nowhere, so every comment in
// the code folders is checked here. Comments are found with the TypeScript parser, so strings,
// regular expressions and JSX text are never mistaken for comments.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const FOLDERS = ['app', 'src', 'store', 'views', 'packages/cloud-sim', 'bench', 'scripts', 'bin', 'test'];
const FILES = ['vitest.config.ts'];
const CODE = /\.(tsx?|m?js|cjs)$/;
const SKIP = new Set(['node_modules', 'dist']);

// A file firebreak itself writes (an evidence bundle's manifest.md), not one in the repository.
const KNOWN_DOCS = new Set(['manifest.md']);

/** Citations of documents that are not in the repository, each with the reason it is refused. */
const OUT_OF_REPO: [RegExp, string][] = [
  [/§/, 'a section sign: cite the upstream page by its URL'],
  [/\bresearch\b\s*(\/|§|apis|reliability|anchors)/i, 'a research note'],
  [/\banchors-(tui|ir)\b/i, 'a research note'],
  [/\b(apis|reliability|anchors-tui|anchors-ir|STYLE|MISSION|DESIGN)\.md\b/, 'a note outside the repository'],
  [/\b(issue|issues|PR|pull request)\s*#?\d+\b/i, 'an issue number without a URL: say the reason instead'],
  [/\.\.\/shared\b|\/work\/|\bshared\/(research|seeds|hooks)\b/, 'a path outside the repository'],
];

// A file named by a path from the repository root (or a package root), by a relative path, or by
// a bare name. A `.js` name may stand for its TypeScript source, as in ESM import specifiers.
const ROOTED =
  /(?<![\w./@$<>*-])((?:app|src|store|views|test|bench|scripts|bin|packages|assets)\/[\w./-]*[\w-]\.(?:tsx?|m?js|cjs|json|md|ya?ml|jsonl))\b/g;
const RELATIVE = /(?<![\w./@$<>*-])(\.\.?\/[\w./-]*[\w-]\.(?:tsx?|m?js|cjs|json|md))\b/g;
const BARE = /(?<![\w./@$<>*-])([\w-]+\.(?:tsx?|md))\b/g;

interface Finding {
  file: string;
  line: number;
  why: string;
  text: string;
}

function walk(dir: string, out: string[]): string[] {
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(e.name)) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else if (CODE.test(e.name)) out.push(p);
  }
  return out;
}

const codeFiles = (): string[] => [
  ...FOLDERS.flatMap((f) => walk(join(ROOT, f), [])),
  ...FILES.map((f) => join(ROOT, f)),
];

/** Every comment of a source file, one entry per line, with its 1-based line number. */
function commentLines(file: string, text: string): { line: number; text: string }[] {
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const ranges = new Map<number, ts.CommentRange>();
  const jsxText: [number, number][] = [];
  const visit = (node: ts.Node): void => {
    if (node.kind === ts.SyntaxKind.JsxText) jsxText.push([node.getFullStart(), node.getEnd()]);
    for (const r of ts.getLeadingCommentRanges(text, node.getFullStart()) ?? []) ranges.set(r.pos, r);
    for (const r of ts.getTrailingCommentRanges(text, node.getEnd()) ?? []) ranges.set(r.pos, r);
    for (const child of node.getChildren(sf)) visit(child);
  };
  visit(sf);
  const out: { line: number; text: string }[] = [];
  for (const r of ranges.values()) {
    if (jsxText.some(([a, b]) => r.pos >= a && r.pos < b)) continue;
    const first = sf.getLineAndCharacterOfPosition(r.pos).line + 1;
    text
      .slice(r.pos, r.end)
      .split('\n')
      .forEach((l, i) => out.push({ line: first + i, text: l }));
  }
  return out.sort((a, b) => a.line - b.line);
}

const packageRoot = (file: string): string | undefined => /^(.*\/packages\/[^/]+)\//.exec(file)?.[1];

function exists(candidates: string[]): boolean {
  return candidates.some(
    (p) =>
      existsSync(p) ||
      (p.endsWith('.js') && (existsSync(p.replace(/\.js$/, '.ts')) || existsSync(p.replace(/\.js$/, '.tsx')))),
  );
}

let basenames: Set<string> | undefined;
function repoBasenames(): Set<string> {
  if (basenames) return basenames;
  const names = new Set<string>();
  const visit = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (SKIP.has(e.name) || e.name.startsWith('.')) continue;
      if (e.isDirectory()) visit(join(dir, e.name));
      else names.add(e.name);
    }
  };
  visit(ROOT);
  return (basenames = names);
}

/** What is wrong with the comments of one file (its path absolute, under ROOT). */
function check(file: string, text: string): Finding[] {
  const rel = relative(ROOT, file);
  const found: Finding[] = [];
  const add = (line: number, why: string, t: string): void => void found.push({ file: rel, line, why, text: t.trim() });
  for (const { line, text: t } of commentLines(file, text)) {
    // One reason per line is enough: the whole citation has to go.
    const note = OUT_OF_REPO.find(([re]) => re.test(t));
    if (note) {
      add(line, note[1], t);
      continue;
    }
    const pkg = packageRoot(file);
    for (const [, p] of t.matchAll(ROOTED)) {
      if (!exists([join(ROOT, p!), ...(pkg ? [join(pkg, p!)] : [])])) add(line, `${p} does not exist`, t);
    }
    for (const [, p] of t.matchAll(RELATIVE))
      if (!exists([join(dirname(file), p!)])) add(line, `${p} does not exist`, t);
    for (const [, p] of t.matchAll(BARE)) {
      if (!KNOWN_DOCS.has(p!) && !repoBasenames().has(p!) && !exists([join(dirname(file), p!)]))
        add(line, `no file named ${p}`, t);
    }
  }
  return found;
}

const show = (f: Finding[]): string[] => f.map((x) => `${x.file}:${x.line}: ${x.why}: ${x.text}`);

describe('comments cite in-repo files or upstream URLs only', () => {
  const files = codeFiles();

  it('reads every code folder', () => {
    for (const f of FOLDERS)
      expect(
        files.some((p) => p.startsWith(join(ROOT, f) + '/')),
        f,
      ).toBe(true);
    expect(files.length).toBeGreaterThan(300);
  });

  it('no comment cites a document outside the repository or a file that does not exist', () => {
    const found = files.flatMap((f) => check(f, readFileSync(f, 'utf8')));
    expect(show(found)).toEqual([]);
  });
});

describe('the citation check itself', () => {
  const at = (name: string): string => join(ROOT, name);
  const whys = (name: string, code: string): string[] => check(at(name), code).map((f) => `${f.line}: ${f.why}`);

  it('refuses research notes, section signs, out-of-repo notes, issue numbers and ../shared paths', () => {
    const code = [
      '// A new group is not empty (research §5.1).',
      '// As research/apis.md says.',
      'const a = 1; // see apis.md',
      '/**',
      ' * Measured on a fake TTY (anchors-tui',
      ' * 2.4), as issue #5 asks.',
      ' */',
      '// Fixed in issue 11.',
      '// Read ../shared/seeds/drill.yaml first.',
      '// Colours come from the theme (STYLE.md habit 7).',
    ].join('\n');
    expect(whys('src/probe.ts', code)).toEqual([
      '1: a section sign: cite the upstream page by its URL',
      '2: a research note',
      '3: a note outside the repository',
      '5: a research note',
      '6: an issue number without a URL: say the reason instead',
      '8: an issue number without a URL: say the reason instead',
      '9: a path outside the repository',
      '10: a note outside the repository',
    ]);
  });

  it('refuses paths to files that do not exist, and accepts those that do', () => {
    const code = [
      '// The runner (store/runner.ts) owns the lifecycle.',
      '// The runner (store/action-runner.ts) owns it, and app/run.js mounts the views/App.js tree.',
      '// As in deny-all-role.ts and in runner-of-things.ts.',
      '// Beside it: ./quarantine-pod.js, not ./quarantine-everything.js; and README.md, not HOWTO.md.',
    ].join('\n');
    expect(whys('src/actions/kubernetes/probe.ts', code)).toEqual([
      '1: store/runner.ts does not exist',
      '3: no file named runner-of-things.ts',
      '4: ./quarantine-everything.js does not exist',
      '4: no file named HOWTO.md',
    ]);
  });

  it('resolves a path in a package from the package root too', () => {
    expect(whys('packages/cloud-sim/src/probe.ts', '// the model (src/index.ts)')).toEqual([]);
    expect(whys('packages/cloud-sim/src/probe.ts', '// the model (src/nowhere.ts)')).toEqual([
      '1: src/nowhere.ts does not exist',
    ]);
  });

  it('finds comments inside JSX and at the end of a line', () => {
    const code = [
      'const e = (',
      '  <Box>',
      '    {/* research §1 */}',
      '    <Text>hi</Text> {/* apis.md */}',
      '  </Box>',
      ');',
      'f(); // issue #5',
    ].join('\n');
    expect(check(at('views/probe.tsx'), code).map((f) => f.line)).toEqual([3, 4, 7]);
  });

  it('reads comments only: strings, templates, regular expressions and JSX text pass, URLs pass', () => {
    const code = [
      "const s = 'research §5.1 in store/runner.ts, issue #5';",
      'const t = `apis.md ${s} // research §1`;',
      'const r = /§|issue #5/;',
      'const e = <Text>// research §2 in ../shared/x.md</Text>;',
      '// https://github.com/jesseduffield/lazygit/blob/master/docs/Codebase_Guide.md',
      '// https://github.com/vadimdemedes/ink/issues/359: a frame taller than the terminal flickers.',
    ].join('\n');
    expect(whys('views/probe.tsx', code)).toEqual([]);
  });
});
