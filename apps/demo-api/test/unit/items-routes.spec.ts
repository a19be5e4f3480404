import { BackendUnavailableError } from '../../src/errors';
import { InMemoryItemStore, FIXED_NOW, aProductInput, aReviewInput, anApp, send } from '../helpers/factories';

describe('item routes', () => {
  describe('PUT /items/products/:productId', () => {
    it('stores the full product with its key, entity type and updatedAt, answering 201 then 200', async () => {
      // given
      const items = new InMemoryItemStore();
      const app = anApp({ items });

      // when
      const created = await send(app, 'PUT', '/items/products/p-1', aProductInput());
      const replaced = await send(app, 'PUT', '/items/products/p-1', aProductInput({ price: 10 }));

      // then
      expect(created.status).toBe(201);
      expect(replaced.status).toBe(200);
      expect(await items.get({ pk: 'PRODUCT#p-1', sk: 'PRODUCT' })).toEqual({
        pk: 'PRODUCT#p-1',
        sk: 'PRODUCT',
        entityType: 'product',
        productId: 'p-1',
        ...aProductInput({ price: 10 }),
        updatedAt: FIXED_NOW.toISOString(),
      });
    });

    it('answers 400 with each invalid field and its message', async () => {
      // given
      const app = anApp();

      // when
      const response = await send(app, 'PUT', '/items/products/p-1', aProductInput({ price: -1, name: '' }));

      // then
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid request body',
        issues: expect.arrayContaining([
          { path: 'price', message: expect.stringMatching(/>=\s*0|too small/i) },
          { path: 'name', message: expect.any(String) },
        ]),
      });
    });

    it('answers 400 naming an unknown field rather than dropping it', async () => {
      // when
      const response = await send(anApp(), 'PUT', '/items/products/p-1', aProductInput({ colour: 'red' }));

      // then
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('colour');
    });

    it('answers 400 for an id that cannot be part of a table key', async () => {
      // when
      const response = await send(anApp(), 'PUT', '/items/products/bad%23id', aProductInput());

      // then
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid request path',
        issues: [{ path: 'productId', message: expect.stringContaining('A-Z') }],
      });
    });

    it('answers 400 for a body that is not JSON', async () => {
      // when
      const response = await send(anApp(), 'PUT', '/items/products/p-1', '{"name": ');

      // then
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid request body',
        issues: [{ path: '(body)', message: expect.stringContaining('not valid JSON') }],
      });
    });
  });

  describe('PATCH /items/products/:productId', () => {
    it('changes only the given fields and refreshes updatedAt', async () => {
      // given
      const items = new InMemoryItemStore();
      await items.put({
        pk: 'PRODUCT#p-1',
        sk: 'PRODUCT',
        entityType: 'product',
        productId: 'p-1',
        ...aProductInput(),
        updatedAt: '2020-01-01T00:00:00.000Z',
      });

      // when
      const response = await send(anApp({ items }), 'PATCH', '/items/products/p-1', { price: 12.5 });

      // then
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ name: 'Oak lamp', price: 12.5, updatedAt: FIXED_NOW.toISOString() });
    });

    it('answers 404 when the product does not exist', async () => {
      // when
      const response = await send(anApp(), 'PATCH', '/items/products/missing', { price: 1 });

      // then
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ error: 'product not found', key: { pk: 'PRODUCT#missing', sk: 'PRODUCT' } });
    });

    it('answers 400 for an empty patch', async () => {
      // when
      const response = await send(anApp(), 'PATCH', '/items/products/p-1', {});

      // then
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        error: 'invalid request body',
        issues: [{ path: '(root)', message: 'a patch must change at least one field' }],
      });
    });
  });

  describe('DELETE and GET', () => {
    it('deletes an existing product with 204, then GET and DELETE answer 404', async () => {
      // given
      const app = anApp();
      await send(app, 'PUT', '/items/products/p-1', aProductInput());

      // when
      const deleted = await send(app, 'DELETE', '/items/products/p-1');
      const read = await send(app, 'GET', '/items/products/p-1');
      const deletedAgain = await send(app, 'DELETE', '/items/products/p-1');

      // then
      expect(deleted.status).toBe(204);
      expect(deleted.body).toBeUndefined();
      expect(read.status).toBe(404);
      expect(deletedAgain.status).toBe(404);
    });
  });

  describe('reviews', () => {
    it('stores a review under its product partition and keeps createdAt when it is replaced', async () => {
      // given
      const items = new InMemoryItemStore();
      let now = new Date('2026-01-01T00:00:00.000Z');
      const app = anApp({ items, now: () => now });
      await send(app, 'PUT', '/items/products/p-1/reviews/r-1', aReviewInput());

      // when
      now = new Date('2026-02-01T00:00:00.000Z');
      const replaced = await send(app, 'PUT', '/items/products/p-1/reviews/r-1', aReviewInput({ rating: 2 }));

      // then
      expect(replaced.status).toBe(200);
      expect(replaced.body).toMatchObject({
        pk: 'PRODUCT#p-1',
        sk: 'REVIEW#r-1',
        entityType: 'review',
        rating: 2,
        createdAt: '2026-01-01T00:00:00.000Z',
      });
    });

    it('answers 400 for a rating outside 1-5 and 404 for patching a missing review', async () => {
      // given
      const app = anApp();

      // when
      const invalid = await send(app, 'PUT', '/items/products/p-1/reviews/r-1', aReviewInput({ rating: 6 }));
      const missing = await send(app, 'PATCH', '/items/products/p-1/reviews/r-9', { rating: 3 });

      // then
      expect(invalid.status).toBe(400);
      expect(invalid.body).toMatchObject({ issues: [{ path: 'rating' }] });
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({ error: 'review not found', key: { pk: 'PRODUCT#p-1', sk: 'REVIEW#r-9' } });
    });
  });

  describe('backend failures', () => {
    it('answers 503 naming the backend and the cause when the store is unreachable', async () => {
      // given
      const items = new InMemoryItemStore();
      items.get = async () => {
        throw new BackendUnavailableError('dynamodb', 'connect ECONNREFUSED 127.0.0.1:8000');
      };

      // when
      const response = await send(anApp({ items }), 'GET', '/items/products/p-1');

      // then
      expect(response.status).toBe(503);
      expect(response.body).toEqual({ error: 'dynamodb unavailable', backend: 'dynamodb', cause: 'connect ECONNREFUSED 127.0.0.1:8000' });
    });

    it('answers 500 with the request id and no internals for any other error', async () => {
      // given
      const items = new InMemoryItemStore();
      items.get = async () => {
        throw new TypeError('secret internals at /srv/app.js:12');
      };

      // when
      const response = await send(anApp({ items }), 'GET', '/items/products/p-1');

      // then
      expect(response.status).toBe(500);
      expect(response.body).toEqual({ error: 'internal error', requestId: response.headers.get('x-request-id') });
      expect(JSON.stringify(response.body)).not.toContain('secret');
    });
  });
});
