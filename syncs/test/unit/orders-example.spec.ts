import { defineSyncs } from '@ddb-os/sync-definition';
import { ordersSync } from '../../examples/orders';
import { demoSync } from '../../sync.config';

const anOrder = {
  orderId: 'o-1001',
  customerId: 'c-7',
  status: 'paid',
  total: 42.5,
  currency: 'EUR',
  placedAt: '2026-01-15T09:31:00.000Z',
  internalNote: 'gift wrap',
};

describe('the orders sync of docs/your-own-table.md', () => {
  it('is a valid definition beside the demo', () => {
    const syncs = defineSyncs({ syncs: [demoSync(), ordersSync] });

    expect(syncs.names).toEqual(['demo', 'orders']);
    expect(syncs.named('orders').declaredKeyAttributes).toBeUndefined();
  });

  it('indexes an order without its internal note and with its total as amount', () => {
    // given the key DescribeTable reads from the table
    const routing = defineSyncs({ syncs: [ordersSync] })
      .named('orders')
      .routingFor(['orderId']);
    const [route] = routing.routes;
    if (route === undefined) throw new Error('the example has a route');

    // when
    const document = routing.shapes.documentOf(anOrder, route);

    // then
    expect(document).toEqual({
      orderId: 'o-1001',
      customerId: 'c-7',
      status: 'paid',
      amount: 42.5,
      currency: 'EUR',
      placedAt: '2026-01-15T09:31:00.000Z',
    });
    expect(Object.keys(routing.shapes.mappingsOf('orders').properties)).toEqual(
      expect.arrayContaining(['orderId', 'amount', 'placedAt', 'ddbSync', 'ddbKeys']),
    );
    expect(routing.shapes.mappingsOf('orders').properties).not.toHaveProperty('internalNote');
    expect(routing.shapes.mappingsOf('orders').properties).not.toHaveProperty('total');
  });

  it('is refused if the table turns out to be keyed by an attribute the transform drops', () => {
    const sync = defineSyncs({ syncs: [ordersSync] }).named('orders');

    expect(() => sync.routingFor(['internalNote'])).toThrow('"internalNote" is a key attribute and is always kept as it is');
  });
});
