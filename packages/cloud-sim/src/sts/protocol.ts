// A small STS on 127.0.0.1 speaking the real query protocol (Version 2011-06-15): GetCallerIdentity,
// which is how firebreak learns the account a session acts in (arming asks the responder to type it).
// Seeded with the identity the drill's or test's credentials stand for (model.ts).

import { el, listenQuery, type QueryService } from '../server/aws-query.js';
import { SimRecorder, type RunningSim } from '../server/http.js';
import { callerIdentity, type StsSeed } from './model.js';

export type { StsSeed } from './model.js';

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
    ({ account: this.account, arn: this.arn, userId: this.userId } = callerIdentity(seed));
  }

  listen(): Promise<RunningSim> {
    return listenQuery(this);
  }

  handle(action: string): string | undefined {
    if (action === 'GetCallerIdentity')
      return el('Arn', this.arn) + el('UserId', this.userId) + el('Account', this.account);
    return undefined;
  }
}
