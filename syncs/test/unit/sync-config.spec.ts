import { syncs } from '../../sync.config';

describe('the workspace sync definition', () => {
  it('validates and names the demo sync', () => {
    expect(syncs.names).toEqual(['demo']);
    expect(syncs.named('demo').declaredKeyAttributes).toEqual(['pk', 'sk']);
  });
});
