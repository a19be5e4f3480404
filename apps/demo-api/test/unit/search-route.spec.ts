import { RecordingSearch, aSyncStatus, anApp, fixedSyncStatus, send } from '../helpers/factories';
import { BackendUnavailableError } from '../../src/errors';

describe('GET /search', () => {
  it('passes the validated, typed query to the search service and returns its result', async () => {
    // given
    const search = new RecordingSearch({ total: 1, items: [{ productId: 'p-1' }], took: 3 });

    // when
    const response = await send(
      anApp({ search }),
      'GET',
      '/search?q=lamp&type=product&category=lighting&minPrice=5&maxPrice=50&inStock=false&tag=oak&sort=price:asc&from=20&size=10',
    );

    // then
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ total: 1, items: [{ productId: 'p-1' }], took: 3 });
    expect(search.queries).toEqual([
      {
        q: 'lamp',
        type: 'product',
        category: 'lighting',
        minPrice: 5,
        maxPrice: 50,
        inStock: false,
        tag: 'oak',
        sort: 'price:asc',
        from: 20,
        size: 10,
      },
    ]);
  });

  it('treats empty parameters (an empty form field) as absent and applies the paging defaults', async () => {
    // given
    const search = new RecordingSearch();

    // when
    const response = await send(anApp({ search }), 'GET', '/search?q=&category=&inStock=');

    // then
    expect(response.status).toBe(200);
    expect(search.queries[0]).toMatchObject({ q: undefined, category: undefined, inStock: undefined, from: 0, size: 20 });
  });

  it.each([
    ['size=101', 'size', 'must be ≤ 100'],
    ['size=0', 'size', 'must be ≥ 1'],
    ['type=order', 'type', 'must be "product" or "review"'],
    ['inStock=yes', 'inStock', 'must be "true" or "false"'],
    ['minPrice=cheap', 'minPrice', 'must be a number'],
    ['minPrice=10&maxPrice=5', 'minPrice', 'must not be greater than maxPrice'],
    ['sort=name', 'sort', 'must be one of price:asc, updatedAt:desc, _score'],
    ['from=9990&size=20', 'from', 'from + size must be ≤ 10000'],
  ])('answers 400 for %s naming %s', async (queryString, path, message) => {
    // when
    const response = await send(anApp(), 'GET', `/search?${queryString}`);

    // then
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: 'invalid request query', issues: [{ path, message }] });
  });

  it('answers 400 for an unknown parameter, so a typo does not widen the search', async () => {
    // when
    const response = await send(anApp(), 'GET', '/search?catgory=lighting');

    // then
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).toContain('catgory');
  });

  it('answers 503 naming OpenSearch when it is unreachable', async () => {
    // given
    const search = new RecordingSearch();
    search.search = async () => {
      throw new BackendUnavailableError('opensearch', 'connect ECONNREFUSED 127.0.0.1:9200');
    };

    // when
    const response = await send(anApp({ search }), 'GET', '/search?q=lamp');

    // then
    expect(response.status).toBe(503);
    expect(response.body).toEqual({ error: 'opensearch unavailable', backend: 'opensearch', cause: 'connect ECONNREFUSED 127.0.0.1:9200' });
  });
});

describe('other routes', () => {
  it('GET /sync/status returns the status service answer, uncached', async () => {
    // given
    const status = aSyncStatus({ documents: { ok: true, value: { products: 3, reviews: 1 } } });

    // when
    const response = await send(anApp({ syncStatus: fixedSyncStatus(status) }), 'GET', '/sync/status');

    // then
    expect(response.status).toBe(200);
    expect(response.body).toEqual(status);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('GET / serves the page when one is given', async () => {
    // when
    const response = await anApp({ page: '<!doctype html><title>demo</title>' }).request('/');

    // then
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(await response.text()).toContain('<title>demo</title>');
  });

  it('answers unknown routes with a JSON 404 naming the route', async () => {
    // when
    const response = await send(anApp(), 'POST', '/items/orders');

    // then
    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error: 'no such route', method: 'POST', path: '/items/orders' });
  });
});
