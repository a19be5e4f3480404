import { Match, Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DynamoDbToOpenSearch } from '../../src';
import { existingTableAndDomain, givenStack, statementsOfRole, syncProps, type SyncOverrides } from '../helpers/factories';

const readVerbs = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost'];
const writeVerbs = ['es:ESHttpGet', 'es:ESHttpHead', 'es:ESHttpPost', 'es:ESHttpPut'];
const principalOf = (rolePrefix: string) => ({ AWS: { 'Fn::GetAtt': [Match.stringLikeRegexp(`^${rolePrefix}`), 'Arn'] } });

/** A sync whose domain is searched by an API function role and written by an operators role. */
function synthesizeWithGrants(overrides: (stack: ReturnType<typeof givenStack>) => SyncOverrides = () => ({})): Template {
  const stack = givenStack();
  const searchApi = new iam.Role(stack, 'SearchApi', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
  const operators = new iam.Role(stack, 'Operators', { assumedBy: new iam.AccountRootPrincipal() });
  const sync = new DynamoDbToOpenSearch(stack, 'Sync', syncProps(overrides(stack)));
  sync.grantDomainRead(searchApi);
  sync.grantDomainWrite(operators);
  return Template.fromStack(stack);
}

describe('access to the domain for others than the indexer', () => {
  it('adds readers and writers to the created domain access policy, keeping the indexer in it', () => {
    // given / when
    const template = synthesizeWithGrants();

    // then
    template.hasResourceProperties('AWS::OpenSearchService::Domain', {
      AccessPolicies: {
        Statement: [
          Match.objectLike({ Sid: 'IndexerHttpAccess', Principal: principalOf('SyncIndexerRole'), Action: writeVerbs }),
          Match.objectLike({ Effect: 'Allow', Principal: principalOf('SearchApi'), Action: readVerbs, Resource: Match.anyValue() }),
          Match.objectLike({ Effect: 'Allow', Principal: principalOf('Operators'), Action: writeVerbs, Resource: Match.anyValue() }),
        ],
      },
    });
  });

  it("gives each grantee the same verbs on the domain's paths in its own policy", () => {
    // given / when
    const template = synthesizeWithGrants();

    // then
    expect(statementsOfRole(template, 'SearchApi')).toEqual([{ actions: readVerbs, resources: ['<SyncDomain.Arn>/*'] }]);
    expect(statementsOfRole(template, 'Operators')).toEqual([{ actions: writeVerbs, resources: ['<SyncDomain.Arn>/*'] }]);
  });

  it('grants on an existing domain in the grantee policy only (its access policy belongs to its owner)', () => {
    // given / when
    const template = synthesizeWithGrants(() => ({ definition: existingTableAndDomain }));

    // then
    template.resourceCountIs('AWS::OpenSearchService::Domain', 0);
    expect(statementsOfRole(template, 'SearchApi')).toEqual([
      { actions: readVerbs, resources: ['arn:aws:es:eu-west-1:123456789012:domain/catalog/*'] },
    ]);
  });

  it('still refuses domainProps.accessPolicies, pointing at the grant methods', () => {
    // given
    const build = () =>
      synthesizeWithGrants(() => ({ domainProps: { accessPolicies: [new iam.PolicyStatement({ actions: ['es:*'], resources: ['*'] })] } }));

    // when / then
    expect(build).toThrow(/"domainProps\.accessPolicies": .*grantDomainRead \/ grantDomainWrite/);
  });
});
