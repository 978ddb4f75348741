import { asRole, metadataWith, startTestEngine, type TestEngine } from './engine-harness.js';

const setupSql = `
CREATE TABLE product (id int PRIMARY KEY, stock int NOT NULL);
CREATE TABLE cart_line (id serial PRIMARY KEY, product_id int NOT NULL REFERENCES product(id), quantity int NOT NULL, price int NOT NULL);
INSERT INTO product VALUES (1, 5), (2, 1);
INSERT INTO cart_line (product_id, quantity, price) VALUES (1, 2, 10), (1, 1, 30), (2, 1, 5);
`;

const tables = [
  {
    table: { schema: 'public', name: 'product' },
    array_relationships: [
      {
        name: 'lines',
        using: { foreign_key_constraint_on: { table: 'cart_line', column: 'product_id' } },
      },
    ],
    select_permissions: [{ role: 'shopper', permission: { columns: ['id', 'stock'], filter: {} } }],
  },
  {
    table: { schema: 'public', name: 'cart_line' },
    object_relationships: [{ name: 'product', using: { foreign_key_constraint_on: 'product_id' } }],
    select_permissions: [
      { role: 'shopper', permission: { columns: ['id', 'quantity'], filter: {} } },
    ],
    insert_permissions: [
      {
        role: 'shopper',
        permission: {
          columns: ['product_id', 'quantity', 'price'],
          check: { product: { stock: { _cgte: ['$', 'quantity'] } } },
        },
      },
    ],
  },
];

let t: TestEngine;

beforeAll(async () => {
  t = await startTestEngine('engine-column-comparison', setupSql, metadataWith(tables));
});

afterAll(async () => {
  await t.stop();
});

describe('column comparison in permissions', () => {
  it('compares with a column of the permission table', async () => {
    const insert = (quantity: number) =>
      t.graphql(
        `mutation { insert_cart_line(objects: [{product_id: 2, quantity: ${quantity}, price: 1}]) { affected_rows } }`,
        {
          headers: asRole('shopper'),
        },
      );
    const allowed = await insert(1);
    expect(allowed.body.data).toEqual({ insert_cart_line: { affected_rows: 1 } });
    const rejected = await insert(2);
    expect(rejected.body.errors?.[0]?.message).toBe(
      'check constraint of an insert/update permission has failed',
    );
  });
});

describe('order by aggregates', () => {
  it('orders by sum and avg of an array relationship', async () => {
    const bySum = await t.graphql(
      '{ product(order_by: {lines_aggregate: {sum: {price: desc}}}) { id } }',
    );
    expect(bySum.body.data).toEqual({ product: [{ id: 1 }, { id: 2 }] });
    const byAvg = await t.graphql(
      '{ product(order_by: {lines_aggregate: {avg: {quantity: asc}}}) { id } }',
    );
    expect(byAvg.body.data).toEqual({ product: [{ id: 2 }, { id: 1 }] });
  });
});
