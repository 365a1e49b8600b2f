// A small STS on 127.0.0.1 speaking the real query protocol (Version 2011-06-15): GetCallerIdentity,
// which is how firebreak learns the account a session acts in (arming asks the responder to type it).
// Seeded with the identity the drill's or test's credentials stand for.

import { el, listenQuery, type QueryService } from './aws-query.js';
import { SimRecorder, type RunningSim } from './http.js';

export interface StsSeed {
  account: string;
  /** The caller's ARN; defaults to a responder role's assumed-role session in that account. */
  arn?: string;
  userId?: string;
}

export class StsSim implements QueryService {
  readonly name = 'sts';
  readonly version = '2011-06-15';
  readonly xmlns = 'https://sts.amazonaws.com/doc/2011-06-15/';
  readonly account: string;
  readonly arn: string;
  readonly userId: string;

  constructor(
    seed: StsSeed,
    readonly recorder: SimRecorder = new SimRecorder(),
  ) {
    this.account = seed.account;
    this.arn = seed.arn ?? `arn:aws:sts::${seed.account}:assumed-role/incident-responder/firebreak`;
    this.userId = seed.userId ?? 'AROAEXAMPLERESPONDER:firebreak';
  }

  listen(): Promise<RunningSim> {
    return listenQuery(this);
  }

  handle(action: string): string | undefined {
    if (action === 'GetCallerIdentity') return el('Arn', this.arn) + el('UserId', this.userId) + el('Account', this.account);
    return undefined;
  }
}
