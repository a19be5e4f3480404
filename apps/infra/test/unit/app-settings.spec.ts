import { cx_api } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInfraApp } from '../../src/app';
import { cdkJsonContext, fixtureCodePaths, synthesizeInfra } from '../helpers/factories';

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

  it('deploys buffered mode from SYNC_MODE: the stream reader on the stream, the writer on the buffer queue', () => {
    // given / when
    const { stack, template } = synthesizeInfra({}, { SYNC_MODE: 'buffered' });

    // then
    expect(stack.sync.mode).toBe('buffered');
    template.resourceCountIs('AWS::Lambda::Function', 3);
    template.hasResourceProperties('AWS::SNS::Topic', { FifoTopic: true });
    template.hasResourceProperties('AWS::SQS::Queue', { FifoQueue: true, ContentBasedDeduplication: false });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('StreamReaderFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Table'), 'StreamArn'] },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('IndexerFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('BufferQueue'), 'Arn'] },
    });
  });

  it('sends failed batches to S3 from SYNC_ON_FAILURE_DESTINATION, and the failure handler reads no stream', () => {
    // given / when
    const { stack, template } = synthesizeInfra({}, { SYNC_ON_FAILURE_DESTINATION: 's3' });

    // then
    expect(stack.sync.streamReaders).toEqual(['indexer (event source mapping)']);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('IndexerFunction') },
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SyncFailedBatchesBucket'), 'Arn'] } } },
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 3);
  });

  it('keeps direct mode by default: the indexer on the stream, no buffer', () => {
    // given / when
    const { template } = synthesizeInfra();

    // then
    template.resourceCountIs('AWS::SNS::Topic', 1); // the alarm topic only
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionName: { Ref: Match.stringLikeRegexp('IndexerFunction') },
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('Table'), 'StreamArn'] },
    });
    expect(Template.fromJSON(template.toJSON()).findResources('AWS::SQS::Queue', { Properties: { FifoQueue: true } })).toEqual({});
  });
});
