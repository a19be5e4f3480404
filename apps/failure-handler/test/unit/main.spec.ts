import { failureHandlerFor } from '../../src/main';

describe('failureHandlerFor', () => {
  it('refuses a bad configuration when it is called, before any message is handled, naming the variable', () => {
    // given: no archive bucket
    const env = { POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'us-east-1' };
    // when / then: thrown by the factory itself, not left for a later invocation (nor as an unhandled rejection)
    expect(() => failureHandlerFor(env)).toThrow(/ARCHIVE_BUCKET: is required/);
  });

  it('returns a handler for a good configuration', () => {
    const handler = failureHandlerFor({ POWERTOOLS_LOG_LEVEL: 'SILENT', AWS_REGION: 'us-east-1', ARCHIVE_BUCKET: 'failures' });
    expect(typeof handler).toBe('function');
    expect(typeof handler.reset).toBe('function');
  });
});
