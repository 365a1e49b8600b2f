// The firebreak command line: the composition root that wires the journal, the store and (for
// drill, live and review) the cockpit. Every failure is one line on stderr and an exit code:
// 0 done, 1 the journal is not intact (verify), 2 bad usage or an error the user must fix.

import { Command, CommanderError, Option } from 'commander';
import { readFileSync } from 'node:fs';
import { codenameFor, isIncidentId, newIncidentId } from '../src/domain/incident.js';
import { parseSeverity } from '../src/domain/severity.js';
import { verifyJournal } from '../src/journal/verify.js';
import { AUDIENCES, type Audience } from '../src/reports/facts.js';
import { timelineCsv, timelineJson, timelineMarkdown, type TimelineFormat } from '../src/reports/timeline.js';
import { newIncident, openIncident } from '../store/open.js';
import { timelineAsOf } from '../store/selectors.js';
import type { IncidentState } from '../store/state.js';
import { LIVE_LIMITS } from '../src/sources/cloudtrail/limits.js';
import {
  fileOrShare,
  shareClientOptions,
  withShareReadOptions,
  type ShareReadFlags,
} from './commands/share-options.js';

// The cockpit (Ink, React), the AWS SDK and client-node load only for the commands that use them:
// importing them up front cost seconds of cold start for every command (bench/cold-start.js).
const lazy = {
  cockpit: () => import('./run.js'),
  drill: () => import('./commands/drill.js'),
  live: () => import('./commands/live.js'),
  importer: () => import('./commands/import.js'),
  hunt: () => import('./commands/hunt.js'),
  scan: () => import('../src/journal/scan.js'),
  exporter: () => import('./commands/export.js'),
  drillScore: () => import('./commands/drill-score.js'),
  signing: () => import('../src/journal/signing.js'),
  share: () => import('./commands/share.js'),
  shareVerify: () => import('../src/journal/share/verify.js'),
  update: () => import('../src/reports/update.js'),
  postmortem: () => import('../src/reports/postmortem.js'),
};

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

class UsageError extends Error {}

/** The timeline export of a folded incident (one journal, or a merged shared one). */
function timelineText(state: IncidentState, format: TimelineFormat): string {
  const items = timelineAsOf(state, 0, state.timeline.length);
  const inc = state.incident!;
  return format === 'json'
    ? timelineJson(items, { id: inc.id, title: inc.title, codename: inc.codename, openedAt: inc.openedAt })
    : format === 'csv'
      ? timelineCsv(items)
      : timelineMarkdown(items, `${inc.id} ${inc.title}`);
}

/** `--rules DIR`: the Sigma rules it holds; every file not loaded is named on stderr. */
async function sigmaRules(dir: string | undefined) {
  if (dir === undefined) return undefined;
  const { loadSigmaDir, sigmaReportLines, sigmaSummary } = await import('../src/detections/sigma/load.js');
  let l;
  try {
    l = await loadSigmaDir(dir);
  } catch (e) {
    throw new UsageError(`--rules ${dir}: ${(e as Error).message}`);
  }
  process.stderr.write(`firebreak: ${sigmaSummary(dir, l)}\n`);
  for (const line of sigmaReportLines(l)) process.stderr.write(`firebreak:   ${line}\n`);
  return l.rules;
}

const RULES_HELP = 'a folder of Sigma rules (AWS CloudTrail, Kubernetes audit) to run beside the built-in rules';

function program(): Command {
  const p = new Command('firebreak')
    .description(
      'Security incident response cockpit for AWS and Kubernetes. With no command, opens the tabletop drill.',
    )
    .version(pkg.version, '-V, --version')
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  p.command('new')
    .description('create an incident journal (non-interactive) and print its id')
    .requiredOption('--title <text>', 'what happened, in one line')
    .requiredOption('--journal <file>', 'the journal file to create (refuses to overwrite)')
    .option('--id <INC-YYYY-NNN>', 'incident id (default: generated from the clock)')
    .option('--codename <name>', 'neutral name to say on calls (default: derived from the id)')
    .option('--severity <level>', 'initial severity: 0-3, Sev0-Sev3 or critical/high/medium/low')
    .option('--actor <name>', 'who is recording (default: the OS user)')
    .action(
      async (o: {
        title: string;
        journal: string;
        id?: string;
        codename?: string;
        severity?: string;
        actor?: string;
      }) => {
        const id = o.id ?? newIncidentId(new Date());
        if (!isIncidentId(id)) throw new UsageError(`--id must look like INC-2026-042, got "${id}"`);
        const sev = o.severity === undefined ? undefined : parseSeverity(o.severity);
        if (o.severity !== undefined && sev === undefined)
          throw new UsageError(`--severity must be 0-3, Sev0-Sev3 or critical/high/medium/low, got "${o.severity}"`);
        const { store, journal } = await newIncident(
          o.journal,
          { incidentId: id, title: o.title, codename: o.codename ?? codenameFor(id), mode: 'live' },
          o.actor ? { actor: o.actor } : {},
        );
        if (sev !== undefined) await store.getState().actions.setSeverity(sev);
        await journal?.close();
        process.stdout.write(`${id}\t${o.journal}\n`);
      },
    );

  p.command('note')
    .description('append a note to an incident journal')
    .argument('<file>', 'journal file')
    .argument('<text...>', 'the note')
    .option('--actor <name>', 'who is recording (default: the OS user)')
    .action(async (file: string, text: string[], o: { actor?: string }) => {
      const { store, journal, scan, report } = await openIncident(file, o.actor ? { actor: o.actor } : {});
      if (scan.torn) process.stderr.write(`firebreak: ${report}\n`);
      try {
        await store.getState().actions.addNote(text.join(' '));
        process.stdout.write(`note recorded as seq ${store.getState().state.seq}\n`);
      } finally {
        await journal?.close();
      }
    });

  p.command('permissions')
    .description(
      'print the minimal responder role the actions need: an IAM policy (JSON), a Kubernetes ClusterRole (YAML), a Vault policy (HCL)',
    )
    .argument('[format]', 'iam, kubernetes or vault: one document, ready to pipe (default: all three, with headings)')
    .action(async (format: string | undefined) => {
      const { PERMISSIONS_FORMATS, permissionsText } = await import('../src/actions/permissions.js');
      const f = PERMISSIONS_FORMATS.find((x) => x === format);
      if (format !== undefined && !f)
        throw new UsageError(`the format must be one of ${PERMISSIONS_FORMATS.join(', ')}, got "${format}"`);
      process.stdout.write(permissionsText(f));
    });

  withShareReadOptions(p.command('verify'))
    .description('check a journal: every hash, link and record; exit 0 when intact, 1 naming the first bad seq')
    .argument('[file]', 'journal file (or --share: every segment of a shared incident, and the set)')
    .option(
      '--expect-head <hash>',
      'a head hash copied earlier: fail unless the journal still contains it and extends it',
    )
    .option(
      '--public-key <file>',
      'the .pub from "firebreak keygen": every checkpoint signature must verify and the journal must be signed through its last record',
    )
    .action(async (file: string | undefined, o: { expectHead?: string; publicKey?: string } & ShareReadFlags) => {
      fileOrShare(file, o, (m) => new UsageError(m));
      if (o.share) {
        const v = await (await lazy.share()).verifyShared(o.share, shareClientOptions(o));
        (v.ok ? process.stdout : process.stderr).write(v.message + '\n');
        if (!v.ok) process.exitCode = 1;
        return;
      }
      if (!file) return;
      const { loadPublicKey } = await lazy.signing();
      const r = await verifyJournal(file, {
        ...(o.expectHead !== undefined ? { expectHead: o.expectHead } : {}),
        ...(o.publicKey !== undefined ? { publicKey: loadPublicKey(o.publicKey) } : {}),
      });
      const out = r.ok ? process.stdout : process.stderr;
      out.write(r.message + '\n');
      // Unreadable (missing file, no permission) is a usage problem, not a verdict on the journal.
      if (!r.ok) process.exitCode = r.unreadable ? 2 : 1;
    });

  p.command('keygen')
    .description(
      "create an Ed25519 key pair for signed checkpoints; point FIREBREAK_SIGNING_KEY at the private key (kept outside every journal's folder)",
    )
    .requiredOption(
      '--out <dir>',
      'folder for firebreak-signing.key (mode 0600) and firebreak-signing.pub (created 0700; never overwrites)',
    )
    .action(async (o: { out: string }) => {
      const { generateSigningKeys } = await lazy.signing();
      const k = generateSigningKeys(o.out);
      process.stdout.write(
        `private key: ${k.privateFile} (keep it off the journal's machine or folder; anyone with it can re-sign a forged journal)\n` +
          `public key:  ${k.publicFile} (copy it somewhere the responder cannot change)\n` +
          `key id:      ${k.keyId}\n` +
          `sign with:   export FIREBREAK_SIGNING_KEY=${k.privateFile}\n` +
          `verify with: firebreak verify FILE --public-key ${k.publicFile}\n`,
      );
    });

  withShareReadOptions(p.command('export'))
    .description(
      'write the timeline (default), an incident update, the post-mortem or the evidence manifest to stdout, or an evidence bundle to a folder; exit 1 when the journal or an evidence file is not intact',
    )
    .argument('[file]', 'journal file (or --share: the merged shared incident)')
    .addOption(
      new Option('--format <format>', 'timeline format (the evidence manifest: md or json)')
        .choices(['json', 'csv', 'md'])
        .default('md'),
    )
    .option('--update', 'the incident update draft (seed template), for --audience')
    .addOption(new Option('--audience <who>', 'who the update is for').choices([...AUDIENCES]).default('internal'))
    .option('--postmortem', 'the post-mortem draft')
    .option(
      '--evidence',
      'the evidence manifest: every artifact, its SHA-256, custody chain, and the journal verify result',
    )
    .option(
      '--bundle <dir>',
      'an evidence bundle for legal: manifest.md/.json, the journal and every evidence file, re-hashed',
    )
    .option('--scorecard', 'a drill journal: its scorecard as Markdown (the last one journaled, else computed now)')
    .action(
      async (
        file: string | undefined,
        o: ShareReadFlags & {
          format: TimelineFormat;
          update?: boolean;
          audience: Audience;
          postmortem?: boolean;
          evidence?: boolean;
          bundle?: string;
          scorecard?: boolean;
        },
        cmd: Command,
      ) => {
        const picked = [
          o.update && '--update',
          o.postmortem && '--postmortem',
          o.evidence && '--evidence',
          o.bundle !== undefined && '--bundle',
          o.scorecard && '--scorecard',
        ].filter(Boolean);
        if (picked.length > 1) throw new UsageError(`choose one of ${picked.join(', ')}`);
        const explicit = (name: string) => cmd.getOptionValueSource(name) === 'cli';
        if (explicit('audience') && !o.update) throw new UsageError('--audience goes with --update');
        if (
          explicit('format') &&
          (o.update || o.postmortem || o.scorecard || o.bundle !== undefined) &&
          o.format !== 'md'
        )
          throw new UsageError(`${picked[0]} is written as Markdown only`);
        fileOrShare(file, o, (m) => new UsageError(m));
        if (o.share) {
          if (o.evidence || o.bundle !== undefined || o.scorecard)
            throw new UsageError(
              `${picked[0]} reads one journal: give its file (--share exports the timeline, --update, --postmortem)`,
            );
          const shared = await (await lazy.share()).loadShared(o.share, shareClientOptions(o));
          for (const r of shared.merged.refusals)
            process.stderr.write(`firebreak: ${(await lazy.shareVerify()).describeRefusal(r)}\n`);
          if (shared.merged.refusals.length) process.exitCode = 1;
          const reports = await lazy.exporter();
          const st = shared.merged.store.getState().state;
          if (o.update || o.postmortem) {
            const facts = await reports.factsFromState(st, new Date());
            return void process.stdout.write(
              o.update
                ? (await lazy.update()).updateMarkdown(facts, o.audience)
                : (await lazy.postmortem()).postmortemMarkdown(facts),
            );
          }
          return void process.stdout.write(timelineText(st, o.format));
        }
        if (!file) return;
        if (o.scorecard) return void process.stdout.write(await (await lazy.drillScore()).scorecardExport(file));
        if (picked.length) {
          const reports = await lazy.exporter();
          if (o.update) return void process.stdout.write(await reports.exportUpdate(file, o.audience));
          if (o.postmortem) return void process.stdout.write(await reports.exportPostmortem(file));
          if (o.evidence) {
            if (o.format === 'csv') throw new UsageError('the evidence manifest is md or json');
            const r = await reports.exportEvidence(file, o.format === 'json' ? 'json' : 'md');
            process.stdout.write(r.text);
            if (!r.ok) {
              process.stderr.write(
                `firebreak: ${file}: the journal is NOT INTACT — the manifest says so; run "firebreak verify ${file}"\n`,
              );
              process.exitCode = 1;
            }
            return;
          }
          const b = await reports.writeBundle(file, o.bundle!);
          for (const line of b.problems) process.stderr.write(`firebreak: ${line}\n`);
          process.stdout.write(b.summary + '\n');
          if (!b.ok) process.exitCode = 1;
          return;
        }
        const { store } = await openIncident(file, { readOnly: true });
        process.stdout.write(timelineText(store.getState().state, o.format));
      },
    );

  p.command('update')
    .description('record an incident update as sent (update.recorded): the Markdown in --file, or the generated draft')
    .argument('<file>', 'journal file')
    .addOption(new Option('--audience <who>', 'who it was sent to').choices([...AUDIENCES]).makeOptionMandatory())
    .option(
      '--file <md>',
      'the update as sent (default: the generated draft, as "firebreak export FILE --update" prints it)',
    )
    .option('--actor <name>', 'who is recording (default: the OS user)')
    .action(async (file: string, o: { audience: Audience; file?: string; actor?: string }) => {
      const reports = await lazy.exporter();
      const markdown = o.file ? await reports.readMarkdown(o.file) : undefined;
      const r = await reports.recordUpdateFromFile(file, o.audience, {
        ...(markdown !== undefined ? { markdown } : {}),
        ...(o.actor ? { actor: o.actor } : {}),
      });
      process.stdout.write(`update for ${o.audience} recorded as seq ${r.seq} (${r.bytes} bytes)\n`);
    });

  p.command('drill')
    .description('open the cockpit on a bundled tabletop drill (the default; no cloud credentials needed)')
    .argument('[scenario]', 'scenario name or YAML file (see --list)', 'inc-2026-042')
    .option(
      '--journal <file>',
      'journal to write (default: a new file under $XDG_STATE_HOME/firebreak/drills); an existing drill journal resumes',
    )
    .option('--speed <x>', 'drill clock speed, e.g. 0.5, 1, 2, 10, 60', '1')
    .option('--paused', 'start with the drill clock paused')
    .option('--list', 'list the bundled scenarios and exit')
    .option('--actor <name>', 'who is recording (default: the OS user)')
    .action(
      async (
        scenario: string,
        o: { journal?: string; speed: string; paused?: boolean; list?: boolean; actor?: string },
      ) => {
        if (o.list) {
          const { listScenarios } = await import('../src/sources/drill/scenario.js');
          for (const s of await listScenarios()) process.stdout.write(`${s.name}\t${s.title}\n`);
          return;
        }
        const speed = Number(o.speed);
        if (!(speed > 0 && speed <= 3600))
          throw new UsageError(`--speed must be a number between 0 and 3600, got "${o.speed}"`);
        const file = await (
          await lazy.drill()
        ).runDrill(scenario, {
          speed,
          ...(o.journal ? { journal: o.journal } : {}),
          ...(o.paused ? { paused: true } : {}),
          ...(o.actor ? { actor: o.actor } : {}),
        });
        process.stdout.write(`drill journal: ${file}\nreview it with: firebreak review ${file}\n`);
      },
    );

  p.command('live')
    .description(
      'open the cockpit on a live incident: CloudTrail and/or Kubernetes activity into the journal, with detections; containment and evidence actions once armed (A)',
    )
    .requiredOption('--journal <file>', 'the incident journal (created with --title if it does not exist)')
    .option('--title <text>', 'title, when the journal is new')
    .option('--id <INC-YYYY-NNN>', 'incident id, when the journal is new')
    .option(
      '--region <region>',
      'AWS Region to poll with CloudTrail LookupEvents (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option(
      '--profile <name>',
      'AWS profile (SSO profiles too), one per account (repeatable); default: the standard credential chain',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--look-back <minutes>', 'overlap re-polled every cycle for late CloudTrail deliveries', '15')
    .option(
      '--context <name>',
      'Kubernetes context to watch (Events and Pods), one per cluster (repeatable)',
      (v: string, acc: string[]) => [...acc, v],
      [] as string[],
    )
    .option('--namespace <ns>', 'Kubernetes namespace (default: all)')
    .option('--kubeconfig <file>', 'kubeconfig file (default: KUBECONFIG, then ~/.kube/config)')
    .option('--actor <name>', 'who is recording (default: the OS user)')
    .option('--rules <dir>', RULES_HELP)
    .option('--read-only', 'no destructive actions and no arming in this session (evidence capture still works)')
    .option('--evidence-bucket <name>', 'S3 Object Lock bucket that evidence files are uploaded to')
    .option(
      '--retention-days <n>',
      'Object Lock retention for uploaded evidence (and --share segments), in days',
      '365',
    )
    .option(
      '--share <s3-url>',
      "a shared incident: publish this journal as sealed Object Lock segments to s3://bucket/prefix and merge the other responders' (with --id and no --title: join it)",
    )
    .option('--share-every <seconds>', 'with --share: how often to publish and merge', '10')
    .option(
      '--prod-pattern <regex>',
      'accounts, profiles and contexts matching this (case-insensitive) are production',
      'prod',
    )
    .option('--event-data-store <arn|id>', ':hunt on this CloudTrail Lake event data store')
    .option('--athena-database <name>', ':hunt on Athena: the database of the CloudTrail table')
    .option('--athena-table <name>', ':hunt on Athena: the CloudTrail table')
    .option('--athena-workgroup <name>', ':hunt on Athena: the work group (default: primary)')
    .option('--athena-output <s3-uri>', ":hunt on Athena: the result location (default: the work group's)")
    .addHelpText('after', `\n${LIVE_LIMITS}\n`)
    .action(
      async (o: {
        eventDataStore?: string;
        athenaDatabase?: string;
        athenaTable?: string;
        athenaWorkgroup?: string;
        athenaOutput?: string;
        journal: string;
        title?: string;
        id?: string;
        region: string[];
        profile: string[];
        lookBack: string;
        context: string[];
        namespace?: string;
        kubeconfig?: string;
        actor?: string;
        readOnly?: boolean;
        evidenceBucket?: string;
        retentionDays: string;
        prodPattern: string;
        rules?: string;
        share?: string;
        shareEvery: string;
      }) => {
        const shareEvery = Number(o.shareEvery);
        if (!(shareEvery >= 1 && shareEvery <= 3600))
          throw new UsageError(`--share-every must be 1-3600 seconds, got "${o.shareEvery}"`);
        const lookBack = Number(o.lookBack);
        if (!(lookBack >= 1 && lookBack <= 24 * 60))
          throw new UsageError(`--look-back must be 1-1440 minutes, got "${o.lookBack}"`);
        const retentionDays = Number(o.retentionDays);
        if (!(Number.isInteger(retentionDays) && retentionDays >= 1 && retentionDays <= 36_500))
          throw new UsageError(`--retention-days must be a whole number of days (1-36500), got "${o.retentionDays}"`);
        let prodPattern: RegExp;
        try {
          prodPattern = new RegExp(o.prodPattern, 'i');
        } catch (e) {
          throw new UsageError(`--prod-pattern is not a valid regular expression: ${(e as Error).message}`);
        }
        const rules = await sigmaRules(o.rules);
        if (!!o.athenaDatabase !== !!o.athenaTable)
          throw new UsageError('--athena-database and --athena-table go together');
        const hunt = {
          ...(o.eventDataStore ? { lake: { eventDataStore: o.eventDataStore } } : {}),
          ...(o.athenaDatabase && o.athenaTable
            ? {
                athena: {
                  database: o.athenaDatabase,
                  table: o.athenaTable,
                  ...(o.athenaWorkgroup ? { workGroup: o.athenaWorkgroup } : {}),
                  ...(o.athenaOutput ? { outputLocation: o.athenaOutput } : {}),
                },
              }
            : {}),
        };
        await (
          await lazy.live()
        ).runLive({
          hunt,
          journal: o.journal,
          regions: o.region,
          lookBackMinutes: lookBack,
          ...(o.title ? { title: o.title } : {}),
          ...(o.id ? { id: o.id } : {}),
          profiles: o.profile,
          contexts: o.context,
          ...(o.namespace ? { namespace: o.namespace } : {}),
          ...(o.kubeconfig ? { kubeconfig: o.kubeconfig } : {}),
          ...(o.actor ? { actor: o.actor } : {}),
          readOnly: !!o.readOnly,
          ...(o.evidenceBucket ? { evidenceBucket: o.evidenceBucket } : {}),
          retentionDays,
          prodPattern,
          toolVersion: `firebreak ${pkg.version}`,
          ...(rules ? { rules } : {}),
          ...(o.share ? { share: o.share, shareEverySeconds: shareEvery } : {}),
        });
      },
    );

  withShareReadOptions(p.command('review'))
    .description(
      'open a journal read-only in the cockpit, verified, with a cursor to see the incident as of any record',
    )
    .argument('[file]', 'journal file (or --share: the merged shared incident)')
    .action(async (file: string | undefined, o: ShareReadFlags) => {
      fileOrShare(file, o, (m) => new UsageError(m));
      if (!process.stdin.isTTY || !process.stdout.isTTY)
        throw new UsageError('the cockpit needs a terminal (stdin and stdout must be a TTY); use export for files');
      const { store } = o.share
        ? (await (await lazy.share()).loadShared(o.share, shareClientOptions(o))).merged
        : await openIncident(file!, { readOnly: true });
      await (
        await lazy.cockpit()
      ).runCockpit({
        store,
        mode: 'review',
        now: () => Date.now(),
        readEvent: async (offset, length) =>
          file
            ? (await lazy.scan()).readRecordAt(file, offset, length)
            : Promise.reject(new Error('a merged incident has no local file: the event is as shown')),
      });
    });

  p.command('import')
    .description(
      'import CloudTrail log files (.json/.json.gz, lookup-events output), Kubernetes audit logs and Falco alerts into a journal; exit 1 if some input or path was refused (the rest is in), 2 if the import stopped (the summary says what went in first)',
    )
    .argument('<paths...>', 'files or directories (read recursively; gzip detected from content)')
    .requiredOption('--journal <file>', 'an existing journal (create one with "firebreak new")')
    .option('--digests <dir>', 'a folder of CloudTrail-Digest files to validate the imported CloudTrail logs against')
    .option(
      '--public-key <file...>',
      'CloudTrail public keys (PEM, DER or "aws cloudtrail list-public-keys" JSON) to verify digest signatures; put PATHs before it',
    )
    .option('--actor <name>', 'who is recording (default: the OS user)')
    .option('--rules <dir>', RULES_HELP)
    .action(
      async (
        paths: string[],
        o: { journal: string; digests?: string; publicKey?: string[]; actor?: string; rules?: string },
      ) => {
        const rules = await sigmaRules(o.rules);
        const { runImport, formatImportSummary, importExitCode, progressLine } = await lazy.importer();
        // Ctrl-C stops between two records: what was read is journaled and the summary printed.
        // A second Ctrl-C is the default again (quit at once; the journal stays intact).
        const cancel = new AbortController();
        const onSigint = () => {
          cancel.abort();
          process.stderr.write('\nfirebreak: stopping the import after the current record (Ctrl-C again quits now)\n');
          process.off('SIGINT', onSigint);
        };
        process.on('SIGINT', onSigint);
        // Progress on stderr, at most once a second, only to a terminal (logs and pipes get the summary).
        let last = 0;
        const tty = process.stderr.isTTY === true;
        try {
          const summary = await runImport(paths, {
            ...(rules ? { rules } : {}),
            journal: o.journal,
            ...(o.digests ? { digests: [o.digests] } : {}),
            ...(o.publicKey ? { publicKeys: o.publicKey } : {}),
            ...(o.actor ? { actor: o.actor } : {}),
            signal: cancel.signal,
            onProgress: (pr) => {
              if (!tty || Date.now() - last < 1000) return;
              last = Date.now();
              process.stderr.write(`\r\x1b[2K${progressLine(pr, process.stderr.columns ?? 80)}`);
            },
          });
          if (tty && last) process.stderr.write('\r\x1b[2K');
          process.stdout.write(formatImportSummary(summary));
          process.exitCode = importExitCode(summary);
        } finally {
          process.off('SIGINT', onSigint);
        }
      },
    );

  p.command('hunt')
    .description(
      'hunt on CloudTrail Lake or Athena (management and data events, beyond LookupEvents): the rows go into the journal as events (deduplicated, detections run) and a hunt.ran record gives the query, bytes scanned and cost; exit 1 if the query failed, 2 if refused or cancelled (Ctrl-C cancels the query)',
    )
    .requiredOption('--journal <file>', 'an existing journal (create one with "firebreak new")')
    .requiredOption('--engine <lake|athena>', 'CloudTrail Lake (an event data store) or Athena (a CloudTrail table)')
    .option('--event-data-store <arn|id>', 'Lake: the event data store')
    .option('--database <name>', 'Athena: the Glue database holding the CloudTrail table')
    .option('--table <name>', 'Athena: the CloudTrail table')
    .option('--workgroup <name>', 'Athena: the work group (default: primary)')
    .option('--output <s3-uri>', "Athena: where results go (default: the work group's location)")
    .option('--catalog <name>', 'Athena: the data catalog (default: AwsDataCatalog)')
    .option('--access-key <id>', 'everything this access key did')
    .option('--principal <arn>', 'everything this principal did (a role ARN also finds its sessions)')
    .option('--session <name>', 'everything this role session did')
    .option('--source-ip <ip>', 'everything done from this source IP address')
    .option('--sql <text>', 'free SQL instead (Lake: FROM the event data store id; Athena: FROM the table)')
    .option('--since <time>', 'start of the window: ISO time, or an age (90m, 24h, 7d)')
    .option('--until <time>', 'end of the window (default: now)')
    .option('--allow-unbounded', 'run without --since (scans, and is charged for, everything)')
    .option(
      '--region <region>',
      'the Region of the event data store or work group',
      process.env.AWS_REGION ?? 'us-east-1',
    )
    .option('--profile <name>', 'a named AWS profile (SSO profiles included)')
    .option('--actor <name>', 'who is recording (default: the OS user)')
    .action(async (o: Record<string, string | boolean | undefined>) => {
      const { runHuntCli, parseHuntTime, progressText, HuntRefused } = await lazy.hunt();
      const str = (k: string) => (typeof o[k] === 'string' ? o[k] : undefined);
      const engine = str('engine');
      let target;
      if (engine === 'lake') {
        if (!str('eventDataStore')) throw new UsageError('--engine lake needs --event-data-store ARN|ID');
        target = { engine: 'lake' as const, eventDataStore: str('eventDataStore')! };
      } else if (engine === 'athena') {
        if (!str('database') || !str('table')) throw new UsageError('--engine athena needs --database D --table T');
        target = {
          engine: 'athena' as const,
          database: str('database')!,
          table: str('table')!,
          ...(str('workgroup') ? { workGroup: str('workgroup')! } : {}),
          ...(str('output') ? { outputLocation: str('output')! } : {}),
          ...(str('catalog') ? { catalog: str('catalog')! } : {}),
        };
      } else throw new UsageError(`--engine must be lake or athena, not "${String(engine)}"`);
      const pivots = (
        [
          ['accessKey', 'access-key'],
          ['principal', 'principal'],
          ['session', 'session'],
          ['sourceIp', 'source-ip'],
        ] as const
      ).flatMap(([k, kind]) => (str(k) ? [{ kind, value: str(k)! }] : []));
      if (pivots.length + (str('sql') ? 1 : 0) !== 1)
        throw new UsageError('give exactly one of --access-key, --principal, --session, --source-ip or --sql');
      const cancel = new AbortController();
      const onSigint = () => {
        cancel.abort();
        process.stderr.write('\nfirebreak: cancelling the hunt (Ctrl-C again quits now)\n');
        process.off('SIGINT', onSigint);
      };
      process.on('SIGINT', onSigint);
      let lastLine = '';
      try {
        const now = Date.now();
        const { summary, exitCode } = await runHuntCli({
          journal: str('journal')!,
          target,
          ...(pivots[0] ? { pivot: pivots[0] } : { sql: str('sql')! }),
          window: {
            ...(str('since') ? { sinceMs: parseHuntTime(str('since')!, now) } : {}),
            ...(str('until') ? { untilMs: parseHuntTime(str('until')!, now) } : str('since') ? { untilMs: now } : {}),
          },
          ...(o.allowUnbounded ? { allowUnbounded: true } : {}),
          ...(str('actor') ? { actor: str('actor')! } : {}),
          connection: { region: str('region')!, ...(str('profile') ? { profile: str('profile')! } : {}) },
          signal: cancel.signal,
          say: (line) => process.stderr.write(`firebreak: ${line}\n`),
          onProgress: (pr) => {
            const line = progressText(target.engine, pr);
            if (line === lastLine) return;
            lastLine = line;
            process.stderr.write(`${line}\n`);
          },
        }).catch((e: unknown) => {
          if (e instanceof HuntRefused) throw new UsageError(e.message);
          throw e;
        });
        process.stdout.write(`${summary.text}\n`);
        process.exitCode = exitCode;
      } finally {
        process.off('SIGINT', onSigint);
      }
    });

  return p;
}

export async function main(argv: string[]): Promise<number> {
  const p = program();
  try {
    // No command at all opens the drill: anyone can try the cockpit with one word. Anything else
    // unknown is an error, not a scenario name.
    await p.parseAsync(argv.length === 0 ? ['drill'] : argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0 || e.code === 'commander.helpDisplayed' || e.code === 'commander.version') return 0;
      process.stderr.write(`firebreak: ${e.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}\n`);
      return 2;
    }
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`firebreak: ${msg}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
