import { describe, expect, it } from 'vitest';
import { mapPaste, outcomes, parseClipboard, passedOnly, toSheets, valueIn, type GridRow } from '../src/paste';

// Ids beyond 2^53, as the catalogue has them: they must come through as the same digits.
const A = '121310230513618944';
const B = '121310230513618945';
const C = '121310230513618946';
const rows: GridRow[] = [
  { itemId: A, title: 'Top-up 50', price: 48, stock: -1 },
  { itemId: B, title: 'Top-up 100', price: 97.5, stock: 10 },
  { itemId: C, title: 'Gift card', price: 95, stock: 3 },
];
const visible = ['itemId', 'title', 'status', 'price', 'stock'];

describe('parseClipboard', () => {
  it('reads rows and tab-separated cells as a spreadsheet copies them, without the trailing line break', () => {
    expect(parseClipboard('47.5\t12\r\n96\t8\r\n')).toEqual([['47.5', '12'], ['96', '8']]);
    expect(parseClipboard('a\tb\nc\td')).toEqual([['a', 'b'], ['c', 'd']]);
  });

  it('keeps empty cells, so a gap in the block stays a gap', () => {
    expect(parseClipboard('1\t\t3\n\t5\t\n')).toEqual([['1', '', '3'], ['', '5', '']]);
  });

  it('reads quoted cells holding a tab, a line break or quotes', () => {
    expect(parseClipboard('"Gift\tcard"\t"two\nlines"\n"say ""hi"""\tplain\n'))
      .toEqual([['Gift\tcard', 'two\nlines'], ['say "hi"', 'plain']]);
  });

  it('reads a single cell', () => {
    expect(parseClipboard('42')).toEqual([['42']]);
    expect(parseClipboard('42\n')).toEqual([['42']]);
  });
});

describe('mapPaste', () => {
  it('lays the block over the grid from the focused cell across visible columns', () => {
    const r = mapPaste(parseClipboard('47.5\t5\n99\t7\n'), { row: 1, column: 'price' }, visible, rows);
    expect(r.cells.map((c) => [c.itemId, c.column, c.shown, c.value])).toEqual([
      [B, 'price', '97.5', '47.5'], [B, 'stock', '10', '5'], [C, 'price', '95', '99'], [C, 'stock', '3', '7'],
    ]);
    expect(r.outside).toBe(0);
  });

  it('counts cells beyond the last row or column as outside, and equal or empty cells as unchanged', () => {
    const r = mapPaste(parseClipboard('48\t\tx\n97.50\t11\tx\n1\t2\tx\n'), { row: 0, column: 'price' }, visible, rows.slice(0, 2));
    expect(r.cells.map((c) => [c.itemId, c.column, c.value])).toEqual([[B, 'stock', '11']]);
    expect(r.unchanged).toBe(3); // 48 = 48, the empty stock cell, 97.50 = 97.5
    expect(r.outside).toBe(5); // the third column (none right of stock) twice, and the third row's three cells
  });

  it('refuses a different value in a column a paste cannot change, and values a column cannot take', () => {
    const r = mapPaste(parseClipboard('X\tnew title\tonline\t0\t-3\n'), { row: 0, column: 'itemId' }, visible, rows);
    expect(r.cells.map((c) => [c.column, c.problem?.code ?? 'ok'])).toEqual([
      ['itemId', 'READ_ONLY_COLUMN'], ['title', 'ok'], ['status', 'READ_ONLY_COLUMN'], ['price', 'PRICE_NOT_POSITIVE'], ['stock', 'NOT_A_QUANTITY'],
    ]);
    const bad = mapPaste([['1.234'], ['abc'], ['   ']], { row: 0, column: 'price' }, visible, rows);
    expect(bad.cells.map((c) => c.problem?.code)).toEqual(['TOO_MANY_DECIMALS', 'NOT_A_PRICE']);
    expect(bad.unchanged).toBe(1);
  });

  it('accepts the id column when it holds the same ids (a block copied with its ids)', () => {
    const r = mapPaste([[A, '45'], [B, '90']], { row: 0, column: 'itemId' }, ['itemId', 'price'], rows);
    expect(r.cells.map((c) => [c.itemId, c.column, c.value])).toEqual([[A, 'price', '45'], [B, 'price', '90']]);
  });

  it('reads prices with a currency sign and thousands separators', () => {
    const r = mapPaste([['¥1,234.50']], { row: 0, column: 'price' }, visible, rows);
    expect(r.cells[0].value).toBe('1234.50');
  });
});

describe('toSheets and the dry run', () => {
  const paste = mapPaste(parseClipboard('Title "one", new\t\t47.5\t5\nTitle two\t\t60\t7\n'), { row: 0, column: 'title' }, visible, rows);

  it('makes one sheet per operation with the template columns, ids as written, titles quoted', () => {
    const sheets = toSheets(paste.cells);
    expect(sheets.map((s) => s.operationType)).toEqual(['price_adjust', 'inventory_update', 'item_edit']);
    expect(sheets[0].csv).toBe(`item_id,value\n${A},47.5\n${B},60\n`);
    expect(sheets[1].csv).toBe(`item_id,quantity\n${A},5\n${B},7\n`);
    expect(sheets[2].csv).toBe(`item_id,title\n${A},"Title ""one"", new"\n${B},Title two\n`);
    expect(sheets[0].cellOfRow.get(2)?.itemId).toBe(A);
    expect(sheets[0].cellOfRow.get(3)?.itemId).toBe(B);
  });

  it('maps each batch row back to its cell: before -> after, failing cells with their code', () => {
    const sheets = toSheets(paste.cells);
    const result = outcomes(paste.cells, sheets, {
      price_adjust: [
        { rowNo: 2, targetId: A, status: 'succeeded', before: { skus: [{ sku_id: '1', sale_price_cents: 4800, face_value_cents: 5000 }] },
          after: { field: 'sale_price', prices: [{ cents: 4750, sku_id: '1' }] }, errorCode: null, errorMessage: null },
        { rowNo: 3, targetId: B, status: 'failed', before: { skus: [{ sku_id: '2', sale_price_cents: 9750, face_value_cents: 5000 }] },
          after: null, errorCode: 'SALE_ABOVE_FACE', errorMessage: 'sale price 6000 would exceed face value 5000' },
      ],
      inventory_update: [
        { rowNo: 2, targetId: A, status: 'failed', before: { skus: [{ sku_id: '1', stock: -1 }] }, after: null,
          errorCode: 'INVALID_FIELD', errorMessage: 'item has unlimited stock' },
        { rowNo: 3, targetId: B, status: 'succeeded', before: { skus: [{ sku_id: '2', stock: 10 }] }, after: { sku_id: '2', stock: 7 }, errorCode: null, errorMessage: null },
      ],
      item_edit: [
        { rowNo: 2, targetId: A, status: 'succeeded', before: { title: 'Top-up 50', attributes: {} }, after: { title: 'Title "one", new', attributes: {} }, errorCode: null, errorMessage: null },
      ],
    });
    const view = result.map((o) => [o.cell.itemId, o.cell.column, o.before, o.after, o.ok, o.problem?.code]);
    expect(view).toEqual([
      [A, 'title', 'Top-up 50', 'Title "one", new', true, undefined],
      [A, 'price', '48.00', '47.50', true, undefined],
      [A, 'stock', '∞', '5', false, 'INVALID_FIELD'],
      [B, 'title', 'Top-up 100', 'Title two', false, undefined], // its batch row has no outcome yet: pending
      [B, 'price', '97.50', '60', false, 'SALE_ABOVE_FACE'],
      [B, 'stock', '10', '7', true, undefined],
    ]);
    // A confirmation applies only the cells the dry run passed, as new sheets.
    const passed = new Set(result.filter((o) => o.ok).map((o) => o.cell));
    expect(passedOnly(sheets[0], passed)?.csv).toBe(`item_id,value\n${A},47.5\n`);
    expect(passedOnly(sheets[1], passed)?.csv).toBe(`item_id,quantity\n${B},7\n`);
    expect(passedOnly(sheets[2], new Set())).toBeNull();
  });

  it('reads applied values recorded per SKU as well as a dry run\'s answers', () => {
    expect(valueIn('price', { skus: [{ sale_price_cents: 4750 }, { sale_price_cents: 4750 }] })).toBe('47.50');
    expect(valueIn('price', { skus: [{ sale_price_cents: 100 }, { sale_price_cents: 250 }] })).toBe('1.00, 2.50');
    expect(valueIn('stock', { skus: [{ stock: 4 }] })).toBe('4');
    expect(valueIn('title', { title: 'x' })).toBe('x');
    expect(valueIn('title', null)).toBe('');
  });

  it('marks cells refused before sending as failing, without a batch', () => {
    const r = mapPaste([['abc']], { row: 0, column: 'price' }, visible, rows);
    expect(toSheets(r.cells)).toEqual([]);
    const [o] = outcomes(r.cells, [], {});
    expect([o.ok, o.problem?.code, o.before, o.after]).toEqual([false, 'NOT_A_PRICE', '48', 'abc']);
  });
});
