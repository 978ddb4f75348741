import type { CompileContext } from '../src/compile/context.js';
import { castToColumn } from '../src/compile/params.js';
import { columnValue } from '../src/compile/select.js';
import { ident, join, render } from '../src/compile/sql.js';
import type { ColumnField } from '../src/schema/model.js';

const value = { kind: 'value' as const, value: '{"type":"Point","coordinates":[1,2]}' };

describe('castToColumn', () => {
  it('reads geometry from GeoJSON', () => {
    const column = { baseType: 'geometry', sqlType: 'geometry(Point,4326)', isArray: false };
    expect(render(castToColumn(value, column)).text).toBe(
      'ST_GeomFromGeoJSON(($1)::text)::geometry(Point,4326)',
    );
  });

  it('reads geography from GeoJSON', () => {
    const column = { baseType: 'geography', sqlType: 'geography', isArray: false };
    expect(render(castToColumn(value, column)).text).toBe(
      'ST_GeomFromGeoJSON(($1)::text)::geography',
    );
  });

  it('keeps one constant cast to two types apart', () => {
    const real = { baseType: 'float4', sqlType: 'real', isArray: false };
    const money = { baseType: 'money', sqlType: 'money', isArray: false };
    const constant = { kind: 'value' as const, value: 12345.67 };
    const rendered = render(
      join([castToColumn(constant, real), castToColumn(constant, money)], ', '),
    );
    expect(rendered.text).toBe('$1::real, $2::money');
    expect(rendered.params).toHaveLength(2);
  });

  it('casts other columns directly', () => {
    const column = { baseType: 'int4', sqlType: 'integer', isArray: false };
    expect(render(castToColumn({ kind: 'value', value: 1 }, column)).text).toBe('$1::integer');
  });
});

describe('columnValue', () => {
  it('returns geometry as GeoJSON with the long CRS', () => {
    const context = { stringifyNumeric: false } as unknown as CompileContext;
    const column = {
      name: 'location',
      baseType: 'geometry',
      sqlType: 'geometry',
      isArray: false,
    } as ColumnField;
    expect(render(columnValue(context, column, ident('t'))).text).toBe(
      'ST_AsGeoJSON("t"."location", 15, 4)::json',
    );
  });
});
