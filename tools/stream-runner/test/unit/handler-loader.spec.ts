import path from 'node:path';
import { HandlerLoadError } from '../../src/errors';
import { loadHandler, parseHandlerSpec } from '../../src/handler-loader';
import { fakeContext } from '../helpers/factories';

const fixture = path.relative(process.cwd(), path.join(__dirname, '..', 'fixtures', 'handler-module.ts'));

describe('parseHandlerSpec', () => {
  it('splits module path and export, defaulting the export to handler', () => {
    // when / then
    expect(parseHandlerSpec('apps/indexer/src/main.ts#handler')).toEqual({ modulePath: 'apps/indexer/src/main.ts', exportName: 'handler' });
    expect(parseHandlerSpec('dist/index.js')).toEqual({ modulePath: 'dist/index.js', exportName: 'handler' });
  });

  it.each([
    ['#handler', /module path is empty/],
    ['main.ts#not-valid', /"not-valid" is not a valid export name/],
  ])('rejects %s', (spec, problem) => {
    // when / then
    expect(() => parseHandlerSpec(spec)).toThrow(problem);
  });
});

describe('loadHandler', () => {
  it('loads a TypeScript module by path and export', async () => {
    // when
    const handler = loadHandler(`${fixture}#handler`);
    const result = await handler(
      { Records: [{ dynamodb: { SequenceNumber: '1' } }, { dynamodb: { SequenceNumber: '2' } }] },
      fakeContext(),
    );
    // then
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '2' }] });
  });

  it.each([
    [`${fixture}#missing`, /export "missing" is missing/],
    [`${fixture}#notAFunction`, /export "notAFunction" is a number, not a function/],
    ['does/not/exist.ts#handler', /does not exist/],
  ])('explains why %s cannot be loaded', (spec, problem) => {
    // when / then
    expect(() => loadHandler(spec)).toThrow(HandlerLoadError);
    expect(() => loadHandler(spec)).toThrow(problem);
  });
});
