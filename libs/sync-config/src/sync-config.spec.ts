import { z } from 'zod';
import { InvalidSyncConfigError } from './errors';
import { mappingsForIndex } from './index-mappings';
import { loadSyncTargetConfig } from './sync-target';

const env = {
  OPENSEARCH_NODE: 'http://127.0.0.1:9200',
  INDEX_ROUTES: JSON.stringify([
    { index: 'products', schema: 'product', match: { attribute: 'entityType', equals: 'product' } },
    { index: 'everything', match: { always: true } },
  ]),
  KEY_ATTRIBUTES: 'pk,sk',
};

describe('loadSyncTargetConfig', () => {
  it('reads the shared writer settings with their defaults', () => {
    const target = loadSyncTargetConfig(env);
    expect(target).toMatchObject({ keyAttributes: ['pk', 'sk'], snapshotSafetySeconds: 2, versionAttribute: undefined, retry: { maxAttempts: 6 } });
  });

  it('names every bad variable at once', () => {
    const load = () => loadSyncTargetConfig({ INDEX_ROUTES: '{', KEY_ATTRIBUTES: '' }, 'replay');
    expect(load).toThrow(InvalidSyncConfigError);
    expect(load).toThrow(/Invalid replay configuration[\s\S]*OPENSEARCH_NODE[\s\S]*INDEX_ROUTES: is not valid JSON[\s\S]*KEY_ATTRIBUTES/);
  });

  it('carries the credentials its own environment names, for every client the writer builds', () => {
    // when
    const target = loadSyncTargetConfig({ ...env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' });

    // then
    expect(target.credentials).toEqual({ accessKeyId: 'local', secretAccessKey: 'secret', sessionToken: 'token' });
  });

  it('leaves credentials to the SDK default chain when its environment names none', () => {
    expect(loadSyncTargetConfig(env).credentials).toBeUndefined();
    expect(loadSyncTargetConfig({ ...env, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '', AWS_SESSION_TOKEN: '' }).credentials).toBeUndefined();
  });

  it('takes an empty session token as none', () => {
    expect(loadSyncTargetConfig({ ...env, AWS_ACCESS_KEY_ID: 'local', AWS_SECRET_ACCESS_KEY: 'local', AWS_SESSION_TOKEN: '' }).credentials).toEqual({ accessKeyId: 'local', secretAccessKey: 'local' });
  });

  it('refuses half a key pair', () => {
    expect(() => loadSyncTargetConfig({ ...env, AWS_ACCESS_KEY_ID: 'local' })).toThrow(/AWS_SECRET_ACCESS_KEY: set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or neither/);
  });
});

describe('mappingsForIndex', () => {
  const schemas = { product: z.object({ productId: z.string(), pk: z.string(), price: z.number() }) };
  const target = loadSyncTargetConfig(env);

  it('generates a strict mapping from the route schema and adds the key attributes it lacks', () => {
    const mappings = mappingsForIndex('products', target, schemas);
    expect(mappings.dynamic).toBe('strict');
    expect(mappings.properties).toMatchObject({ productId: { type: 'keyword' }, price: { type: 'double' }, sk: { type: 'keyword' } });
    expect(mappings.properties['pk']).toEqual(expect.objectContaining({ type: 'text' }));
  });

  it('maps a schema-less index dynamically, with exact sync metadata', () => {
    const mappings = mappingsForIndex('everything', target, schemas);
    expect(mappings.dynamic).toBe(true);
    expect(mappings.properties).toMatchObject({ pk: { type: 'keyword' }, ddbSync: { properties: { order: { type: 'keyword' } } } });
  });
});
