// What kind of file this is, from its first bytes (after gunzip), never from its name alone:
// evidence arrives renamed, concatenated and re-compressed, and a `.json` may hold JSON Lines.

export type InputFormat =
  | 'cloudtrail' // {"Records":[…]} — an S3 log file
  | 'cloudtrail-array' // […] of CloudTrail records (e.g. `jq .Records`)
  | 'cloudtrail-lines' // one CloudTrail record per line (CloudWatch Logs / Athena exports)
  | 'lookup-events' // `aws cloudtrail lookup-events` output: {"Events":[{…,"CloudTrailEvent":"…"}]}
  | 'cloudtrail-digest'
  | 'k8s-audit'
  | 'falco';

export type Detected = { format: InputFormat } | { format: 'empty' } | { format: 'unknown'; why: string };

/** Bytes of (decompressed) head the detector wants to see. */
export const HEAD_BYTES = 64 * 1024;

function classifyObject(o: Record<string, unknown>): InputFormat | undefined {
  if (Array.isArray(o.Records)) return 'cloudtrail';
  if (Array.isArray(o.Events)) return 'lookup-events';
  if ('digestPublicKeyFingerprint' in o || ('logFiles' in o && 'digestEndTime' in o)) return 'cloudtrail-digest';
  if (o.kind === 'Event' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('audit.k8s.io/'))
    return 'k8s-audit';
  // An audit event whose shipper dropped apiVersion: auditID + verb + stage/requestURI still say so.
  if (o.kind === 'Event' && o.apiVersion === undefined && typeof o.auditID === 'string' && typeof o.verb === 'string')
    return 'k8s-audit';
  if ('rule' in o && 'output' in o && 'priority' in o) return 'falco';
  if ('eventID' in o && 'eventSource' in o && 'eventName' in o) return 'cloudtrail-lines';
  return undefined;
}

export function detectFormat(head: Buffer): Detected {
  const text = head.toString('utf8');
  const first = /\S/.exec(text);
  if (!first) return { format: 'empty' };
  if (first[0] !== '{' && first[0] !== '[')
    return { format: 'unknown', why: `starts with ${JSON.stringify(first[0])}, not JSON` };
  if (/^\s*\{\s*"Records"\s*:\s*\[/.test(text)) return { format: 'cloudtrail' };
  if (/^\s*\{\s*"Events"\s*:\s*\[/.test(text)) return { format: 'lookup-events' };
  if (first[0] === '[')
    return /"eventID"\s*:/.test(text)
      ? { format: 'cloudtrail-array' }
      : { format: 'unknown', why: 'a JSON array without CloudTrail records' };
  // One complete first line decides JSON Lines formats (and single-line wrapper files).
  const firstLine = text.slice(first.index).split('\n', 1)[0]!;
  try {
    const v: unknown = JSON.parse(firstLine);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      const f = classifyObject(v as Record<string, unknown>);
      if (f) return { format: f };
    }
  } catch {
    // A pretty-printed file, a first line longer than the head, or a bad first line: look at keys.
  }
  if (/"digestPublicKeyFingerprint"\s*:/.test(text)) return { format: 'cloudtrail-digest' };
  if (/"Records"\s*:\s*\[/.test(text)) return { format: 'cloudtrail' };
  if (/"Events"\s*:\s*\[/.test(text) && /"CloudTrailEvent"\s*:/.test(text)) return { format: 'lookup-events' };
  if (/"kind"\s*:\s*"Event"/.test(text) && /"apiVersion"\s*:\s*"audit\.k8s\.io\/|"auditID"\s*:/.test(text))
    return { format: 'k8s-audit' };
  if (/"rule"\s*:/.test(text) && /"priority"\s*:/.test(text) && /"output"\s*:/.test(text)) return { format: 'falco' };
  return { format: 'unknown', why: 'JSON, but not a CloudTrail, Kubernetes audit or Falco format' };
}
