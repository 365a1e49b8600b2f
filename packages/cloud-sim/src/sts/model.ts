// Who the caller is, for the simulated STS: the identity the drill's or test's credentials stand
// for (GetCallerIdentity is how firebreak learns the account a session acts in).

export interface StsSeed {
  account: string;
  /** The caller's ARN; defaults to a responder role's assumed-role session in that account. */
  arn?: string;
  userId?: string;
}

/** The identity a seed stands for; by default a responder role's assumed-role session. */
export function callerIdentity(seed: StsSeed): { account: string; arn: string; userId: string } {
  return {
    account: seed.account,
    arn: seed.arn ?? `arn:aws:sts::${seed.account}:assumed-role/incident-responder/firebreak`,
    userId: seed.userId ?? 'AROAEXAMPLERESPONDER:firebreak',
  };
}
