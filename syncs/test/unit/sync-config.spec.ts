import { defineSyncs } from '@ddb-os/sync-definition';
import { demoSync, syncs } from '../../sync.config';

describe('the workspace sync definition', () => {
  it('validates and names the demo sync', () => {
    expect(syncs.names).toEqual(['demo']);
    expect(syncs.named('demo').declaredKeyAttributes).toEqual(['pk', 'sk']);
  });

  it('routes products and reviews of the demo table to their indexes, with their mappings', () => {
    // given
    const routing = syncs.named('demo').routingFor(['pk', 'sk']);

    // then
    expect(routing.routes.map((route) => route.index)).toEqual(['products', 'reviews']);
    expect(routing.shapes.mappingsOf('products').properties).toHaveProperty('price', { type: 'double' });
    expect(routing.shapes.mappingsOf('reviews').properties).toHaveProperty('rating', { type: 'long' });
  });

  it('gives tests the demo sync on index names of their own', () => {
    const sync = defineSyncs({ syncs: [demoSync({ products: 'products-t1', reviews: 'reviews-t1' })] }).named('demo');

    expect(sync.routes.map((route) => route.index)).toEqual(['products-t1', 'reviews-t1']);
    expect(sync.fingerprint).not.toBe(syncs.named('demo').fingerprint);
  });
});
