// What a hunt costs. Neither engine estimates a scan before it runs, so firebreak shows the price
// basis before and the price of the bytes actually scanned after. Figures as published (us-east-1;
// other Regions differ):
// Athena SQL queries, $5.00 per TB scanned, at least 10 MB a query: https://aws.amazon.com/athena/pricing/
// CloudTrail Lake queries, $0.005 per GB scanned: https://aws.amazon.com/cloudtrail/pricing/

export type HuntEngineName = 'lake' | 'athena';

export const ATHENA_USD_PER_TB = 5;
export const ATHENA_MIN_BYTES = 10 * 1024 ** 2;
export const LAKE_USD_PER_GB = 0.005;

export const PRICING_URLS: Record<HuntEngineName, string> = {
  athena: 'https://aws.amazon.com/athena/pricing/',
  lake: 'https://aws.amazon.com/cloudtrail/pricing/',
};

/** One line for before the run: what a scan is charged, and where the figure comes from. */
export function priceBasis(engine: HuntEngineName): string {
  return engine === 'athena'
    ? `Athena charges $${ATHENA_USD_PER_TB} per TB scanned (10 MB minimum per query; ${PRICING_URLS.athena})`
    : `CloudTrail Lake charges $${LAKE_USD_PER_GB} per GB scanned (${PRICING_URLS.lake})`;
}

/** The charge for this many bytes scanned, in US dollars. */
export function costUsd(engine: HuntEngineName, bytes: number): number {
  if (engine === 'athena') {
    // Billed by the megabyte, rounded up, with the 10 MB minimum.
    const billed = Math.max(ATHENA_MIN_BYTES, Math.ceil(bytes / 1024 ** 2) * 1024 ** 2);
    return (billed / 1024 ** 4) * ATHENA_USD_PER_TB;
  }
  return (bytes / 1024 ** 3) * LAKE_USD_PER_GB;
}

export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

export function formatUsd(x: number): string {
  if (x === 0) return '$0';
  if (x < 0.000001) return '< $0.000001';
  return x >= 0.01 ? `$${x.toFixed(2)}` : `$${x.toFixed(6).replace(/0+$/, '').replace(/\.$/, '.0')}`;
}
