// Where a named profile sends each service: `endpoint_url` in the profile, or in the `services`
// section it names, after the environment variables (AWS's service-specific endpoints:
// https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html). The SDK reads the
// config file only for the process's one profile (AWS_PROFILE): @smithy/core's
// getEndpointFromConfig loads it without the client's `profile` option. A session with several
// --profile (one per account, each maybe behind its own VPC endpoint) resolves each here and
// passes the result to that profile's clients.

import { loadSharedConfigFiles } from '@smithy/core/config';

/** The services firebreak's clients call, by the SDK's service id in lower case. */
export const AWS_SERVICES = ['cloudtrail', 'ec2', 'eks', 'iam', 's3', 'sts'] as const;
export type AwsService = (typeof AWS_SERVICES)[number];
export type ServiceEndpoints = Partial<Record<AwsService, string>>;

export async function profileEndpoints(
  profile: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<ServiceEndpoints> {
  const out: ServiceEndpoints = {};
  const ignore = (v: string | undefined) => v?.trim().toLowerCase() === 'true';
  if (ignore(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS)) return out;
  const config = profile ? (await loadSharedConfigFiles({ ignoreCache: true })).configFile : {};
  const section: Record<string, string | undefined> = (profile && config[profile]) || {};
  const fileToo = !ignore(section.ignore_configured_endpoint_urls);
  let services: Record<string, string | undefined> = {};
  if (fileToo && section.services) {
    const s = config[`services.${section.services}`];
    // The SDK refuses a profile naming a missing section; so do we, in its words.
    if (!s)
      throw new Error(
        `The services section "${section.services}" specified in the profile is not present in the shared configuration file.`,
      );
    services = s;
  }
  for (const svc of AWS_SERVICES) {
    const url =
      env[`AWS_ENDPOINT_URL_${svc.toUpperCase()}`] ??
      env.AWS_ENDPOINT_URL ??
      (fileToo ? (services[`${svc}.endpoint_url`] ?? section.endpoint_url) : undefined);
    if (url?.trim()) out[svc] = url.trim();
  }
  return out;
}

/** S3 on a custom local endpoint needs path-style addressing: a bucket cannot be a host name there. */
export function needsPathStyle(url: string | undefined): boolean {
  if (!url) return false;
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || /^[\d.]+$/.test(host) || host.startsWith('[');
  } catch {
    return false;
  }
}
