import { cx_api } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInfraApp } from '../../src/app';
import { cdkJsonContext, fixtureCodePaths, synthesizeInfra, twoSyncs } from '../helpers/factories';

describe('app settings reaching the assembly', () => {
  const outdirs: string[] = [];
  afterAll(() => outdirs.forEach((outdir) => rmSync(outdir, { recursive: true, force: true })));

  it('names the stack after SYNC_STAGE and pins CDK_DEPLOY_ACCOUNT / CDK_DEPLOY_REGION in the written assembly', () => {
    // given the app as `cdk synth` runs it: cdk.json context, settings in the environment
    const outdir = mkdtempSync(join(tmpdir(), 'infra-assembly-'));
    outdirs.push(outdir);
    const { app } = createInfraApp(
      { outdir, context: { ...cdkJsonContext(), ...fixtureCodePaths } },
      { SYNC_STAGE: 'prod', CDK_DEPLOY_ACCOUNT: '111111111111', CDK_DEPLOY_REGION: 'eu-west-1' },
    );

    // when
    app.synth();

    // then
    const stacks = new cx_api.CloudAssembly(outdir).stacksRecursively;
    expect(stacks.map((stack) => [stack.stackName, stack.environment.name])).toEqual([
      ['prod-DynamoDbOpenSearchSync', 'aws://111111111111/eu-west-1'],
    ]);
  });

  it("deploys a buffered sync from the definition's mode: the stream reader on the stream, the writer on the buffer queue", () => {
    // given / when
    const { stack, template } = synthesizeInfra({}, {}, twoSyncs());

    // then
    expect(stack.syncs.get('orders')?.mode).toBe('buffered');
    expect(stack.syncs.get('demo')?.mode).toBe('direct');
    template.hasResourceProperties('AWS::SNS::Topic', { FifoTopic: true });
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, ContentBasedDeduplication: false });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ordersStreamReaderFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ordersTable'), 'StreamArn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ordersIndexerFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ordersBufferQueue'), 'Arn'] },
    });
  });

  it("sends failed batches to S3 from the definition's failures.destination, and that failure handler reads no stream", () => {
    // given / when
    const { stack, template } = synthesizeInfra({}, {}, twoSyncs());

    // then
    expect(stack.syncs.get('orders')?.streamReaders).toEqual(['stream reader (event source mapping)']);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^ordersStreamReaderFunction') },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^ordersFailedBatchesBucket'), 'Arn'] } } },
    });
  });

  it('keeps direct mode by default: the indexer on the stream, no buffer', () => {
    // given / when
    const { template } = synthesizeInfra();

    // then
    template.resourceCountIs('AWS::SNS::Topic', 1); // the alarm topic only
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('^demoIndexerFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^demoTable'), 'StreamArn'] },
    });
    expect(Template.fromJSON(template.toJSON()).findResources('AWS::SQS::Queue', { Properties: { FifoQueue: true } })).toEqual({});
  });
});
