// The IAM / STS sims' wire shapes seen raw (no SDK): what a real query-protocol client must get.

import { describe, expect, it, onTestFinished } from 'vitest';
import { listenQuery, SimRecorder, IamSim, StsSim } from '@firebreak/cloud-sim';

async function post(url: string, body: string) {
  const r = await fetch(`${url}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
    body,
  });
  return { status: r.status, id: r.headers.get('x-amzn-requestid'), text: await r.text() };
}

async function start() {
  const rec = new SimRecorder();
  const iam = new IamSim(
    {
      account: '123456789012',
      roles: [{ name: 'web', policies: { p: '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}' } }],
    },
    rec,
  );
  const sim = await listenQuery(iam, new StsSim({ account: '123456789012' }, rec));
  onTestFinished(() => sim.close());
  return { rec, iam, url: sim.url };
}

describe('IAM / STS query sims', () => {
  it('answers in the XResponse/XResult envelope with the request id in header and body; documents URL-encoded', async () => {
    const { url } = await start();
    const r = await post(url, 'Action=GetRolePolicy&Version=2010-05-08&RoleName=web&PolicyName=p');
    expect(r.status).toBe(200);
    expect(r.text).toContain(
      '<GetRolePolicyResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><GetRolePolicyResult>',
    );
    expect(r.text).toContain(
      `<PolicyDocument>${encodeURIComponent('{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}')}</PolicyDocument>`,
    );
    expect(r.text).toContain(
      `<ResponseMetadata><RequestId>${r.id}</RequestId></ResponseMetadata></GetRolePolicyResponse>`,
    );
  });

  it('routes by Version: STS GetCallerIdentity on the same endpoint', async () => {
    const { url } = await start();
    const r = await post(url, 'Action=GetCallerIdentity&Version=2011-06-15');
    expect(r.text).toMatch(
      /<GetCallerIdentityResponse xmlns="https:\/\/sts.amazonaws.com\/doc\/2011-06-15\/"><GetCallerIdentityResult>.*<Account>123456789012<\/Account>/,
    );
  });

  it('errors are ErrorResponse/Error with Type, Code, Message and the status', async () => {
    const { url, rec } = await start();
    const r = await post(url, 'Action=GetRole&Version=2010-05-08&RoleName=nope');
    expect(r.status).toBe(404);
    expect(r.text).toBe(
      `<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code><Message>The role with name nope cannot be found.</Message></Error><RequestId>${r.id}</RequestId></ErrorResponse>`,
    );
    rec.fail({ op: 'GetRole', status: 403, code: 'AccessDenied', message: 'no <way>' });
    const d = await post(url, 'Action=GetRole&Version=2010-05-08&RoleName=web');
    expect(d.status).toBe(403);
    expect(d.text).toContain('<Code>AccessDenied</Code><Message>no &lt;way&gt;</Message>');
    expect((await post(url, 'Action=GetRole&Version=2010-05-08&RoleName=web')).status).toBe(200);
    expect(rec.of('GetRole').map((c) => c.status)).toEqual([404, 403, 200]);
  });

  it('rejects a malformed policy document and an unknown action', async () => {
    const { url, iam } = await start();
    const bad = await post(
      url,
      `Action=PutRolePolicy&Version=2010-05-08&RoleName=web&PolicyName=x&PolicyDocument=${encodeURIComponent('{not json')}`,
    );
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('<Code>MalformedPolicyDocument</Code>');
    expect(iam.roles.get('web')!.policies.has('x')).toBe(false);
    const unknown = await post(url, 'Action=DeleteRole&Version=2010-05-08&RoleName=web');
    expect(unknown.text).toContain('<Code>InvalidAction</Code>');
    expect(iam.roles.has('web')).toBe(true);
  });
});
