// What live CloudTrail can and cannot see, for the help and the README.
// https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html

export const LIVE_LIMITS = [
  'Live CloudTrail uses the LookupEvents (Event history) API, which has limits:',
  '  - management events only: data events (S3 object reads, Lambda invokes, ...) never appear;',
  "    import the trail's S3 log files for those",
  '  - the last 90 days only, one Region per poller',
  '  - 2 requests/s per account and Region, shared with every other tool using it there;',
  '    firebreak paces itself and backs off when throttled',
  '  - events arrive about 5 minutes late (up to 15), so each poll re-reads the last 15 minutes',
  '    and drops duplicates',
].join('\n');
