// The patch formats the API server applies (https://kubernetes.io/docs/tasks/manage-kubernetes-objects/update-api-object-kubectl-patch/):
// JSON merge patch (RFC 7386) and JSON Patch (RFC 6902), with the API server's 422 when a JSON
// Patch operation does not apply.

import { KubeStatusError, type Obj } from './objects.js';

/** RFC 7386 JSON merge patch (also what strategic merge does for the maps the actions patch). */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Obj = target && typeof target === 'object' && !Array.isArray(target) ? { ...(target as Obj) } : {};
  for (const [k, v] of Object.entries(patch as Obj)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/'))
    throw new KubeStatusError(422, 'Invalid', `json patch path ${JSON.stringify(path)} must start with /`);
  return path
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902 JSON patch (add, remove, replace, test) over a deep copy. */
export function jsonPatch(doc: Obj, ops: Obj[]): Obj {
  const root: Obj = structuredClone(doc);
  for (const op of ops) {
    const parts = pointer(String(op.path ?? ''));
    const last = parts.pop();
    let parent: any = root;
    for (const p of parts) {
      parent = parent?.[Array.isArray(parent) ? Number(p) : p];
      if (parent === undefined || parent === null)
        throw new KubeStatusError(
          422,
          'Invalid',
          `jsonpatch ${op.op} operation does not apply: doc is missing path: ${op.path}`,
        );
    }
    if (last === undefined)
      throw new KubeStatusError(422, 'Invalid', `jsonpatch ${op.op} on the document root is not supported`);
    const has = Array.isArray(parent) ? Number(last) < parent.length : Object.hasOwn(parent, last);
    switch (op.op) {
      case 'add':
        if (Array.isArray(parent)) parent.splice(last === '-' ? parent.length : Number(last), 0, op.value);
        else parent[last] = op.value;
        break;
      case 'replace':
      case 'remove':
        if (!has)
          throw new KubeStatusError(
            422,
            'Invalid',
            `jsonpatch ${op.op} operation does not apply: doc is missing key: ${op.path}`,
          );
        if (op.op === 'remove') {
          if (Array.isArray(parent)) parent.splice(Number(last), 1);
          else delete parent[last];
        } else parent[last] = op.value;
        break;
      case 'test':
        if (JSON.stringify(parent[last]) !== JSON.stringify(op.value))
          throw new KubeStatusError(422, 'Invalid', `testing value ${op.path} failed: test failed`);
        break;
      default:
        throw new KubeStatusError(422, 'Invalid', `Unexpected kind: ${String(op.op)}`);
    }
  }
  return root;
}
