// Spreadsheet-style editing of the products grid: a block of cells copied from a spreadsheet
// (the clipboard's text/plain: rows by line, cells by tab) laid over the grid from the focused
// cell, checked cell by cell, turned into one sheet per batch operation, and the batches' dry
// run read back as before -> after per cell. Pure functions, so the rules are tested alone.

/** The grid columns a paste may change, and the batch operation each one becomes. */
export const PASTE_OPERATIONS = {
  price: { operationType: 'price_adjust', column: 'value' },
  stock: { operationType: 'inventory_update', column: 'quantity' },
  title: { operationType: 'item_edit', column: 'title' },
} as const;
export type PasteColumn = keyof typeof PASTE_OPERATIONS;
export type PasteOperation = (typeof PASTE_OPERATIONS)[PasteColumn]['operationType'];
const isPasteColumn = (c: string): c is PasteColumn => c in PASTE_OPERATIONS;

/** What a grid row offers a paste: its id and the values shown. */
export interface GridRow { itemId: string; title?: string; price?: number | null; stock?: number | null }

export interface CellProblem { code: string; message: string }
export interface PasteCell {
  itemId: string;
  column: string;
  /** the cell as pasted */
  raw: string;
  /** the value sent to the batch (yuan with 2 decimals, a whole quantity, a title); absent when refused here */
  value?: string;
  /** the grid's value before the paste, as shown */
  shown: string;
  /** refused before anything is sent (not editable, not a number...) */
  problem?: CellProblem;
}
export interface PasteResult {
  /** cells that change something, and cells refused here (marked as failing) */
  cells: PasteCell[];
  /** pasted cells that fell outside the grid (beyond its last row or column) */
  outside: number;
  /** pasted cells equal to what the grid shows, or empty: nothing to change */
  unchanged: number;
}

/**
 * Clipboard text as spreadsheets write it (Excel, LibreOffice, Google Sheets): cells separated
 * by tabs, rows by CRLF or LF, a cell holding a tab, a line break or a quote written in double
 * quotes with "" for a quote. The trailing line break spreadsheets add is not a row.
 */
export function parseClipboard(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let atCellStart = true;
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (ch === '"') { quoted = false; i++; continue; }
      cell += ch; i++; continue;
    }
    if (ch === '"' && atCellStart) { quoted = true; atCellStart = false; i++; continue; }
    if (ch === '\t') { row.push(cell); cell = ''; atCellStart = true; i++; continue; }
    if (ch === '\r' || ch === '\n') {
      row.push(cell); rows.push(row); row = []; cell = ''; atCellStart = true;
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    cell += ch; atCellStart = false; i++;
  }
  if (!atCellStart || cell !== '' || row.length > 0) { row.push(cell); rows.push(row); }
  return rows;
}

/** The grid's value of a cell as a paste compares it: price in yuan, stock as a count. */
function shownValue(row: GridRow, column: string): string {
  const v = (row as unknown as Record<string, unknown>)[column];
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

/** A price cell: yuan, at most 2 decimals, above 0; a currency sign, spaces and thousands separators are allowed. */
export function readPrice(raw: string): string | CellProblem {
  const s = raw.replace(/[¥￥\s]/g, '').replace(/,(?=\d{3}(\D|$))/g, '');
  if (!/^\d+(\.\d+)?$/.test(s)) return { code: 'NOT_A_PRICE', message: `"${raw}" is not a price` };
  if (!/^\d+(\.\d{1,2})?$/.test(s)) return { code: 'TOO_MANY_DECIMALS', message: 'a price has at most 2 decimals' };
  if (Number(s) <= 0) return { code: 'PRICE_NOT_POSITIVE', message: 'a price must be above 0' };
  return s;
}

/** A stock cell: a whole quantity, 0 or more. */
export function readStock(raw: string): string | CellProblem {
  const s = raw.replace(/[\s,]/g, '');
  if (!/^\d+$/.test(s)) return { code: 'NOT_A_QUANTITY', message: `"${raw}" is not a whole quantity of 0 or more` };
  return String(Number(s));
}

/** A title cell: trimmed; a title cannot be blanked by a paste. */
export function readTitle(raw: string): string | CellProblem {
  const s = raw.trim();
  if (!s) return { code: 'TITLE_EMPTY', message: 'a title cannot be empty' };
  return s;
}

const readers: Record<PasteColumn, (raw: string) => string | CellProblem> = { price: readPrice, stock: readStock, title: readTitle };
const same = (column: PasteColumn, value: string, shown: string) =>
  column === 'title' ? value === shown : shown !== '' && Number(value) === Number(shown);

/**
 * Lays BLOCK over the grid with its top left cell on ANCHOR (a row index of ROWS and a visible
 * column), as a spreadsheet does. Empty cells and cells equal to the grid's value change nothing;
 * a different value in a column a paste cannot change is refused (READ_ONLY_COLUMN), as is a
 * value its column cannot take.
 */
export function mapPaste(block: string[][], anchor: { row: number; column: string }, visibleColumns: string[], rows: GridRow[]): PasteResult {
  const start = visibleColumns.indexOf(anchor.column);
  const out: PasteResult = { cells: [], outside: 0, unchanged: 0 };
  if (start < 0) return out;
  block.forEach((cells, r) => cells.forEach((raw, c) => {
    const row = rows[anchor.row + r];
    const column = visibleColumns[start + c];
    if (!row || !column) { out.outside++; return; }
    const shown = shownValue(row, column);
    const base = { itemId: row.itemId, column, raw, shown };
    if (raw.trim() === '' || raw.trim() === shown) { out.unchanged++; return; }
    if (!isPasteColumn(column)) {
      out.cells.push({ ...base, problem: { code: 'READ_ONLY_COLUMN', message: `${column} cannot be changed by a paste (price, stock and title can)` } });
      return;
    }
    const read = readers[column](raw);
    if (typeof read !== 'string') { out.cells.push({ ...base, problem: read }); return; }
    if (same(column, read, shown)) { out.unchanged++; return; }
    out.cells.push({ ...base, value: read });
  }));
  return out;
}

/** One batch's sheet: a CSV with the operation's columns, and which cell each data row is (row 2 = the first). */
export interface PasteSheet { operationType: PasteOperation; column: PasteColumn; csv: string; cellOfRow: Map<number, PasteCell> }

const csvCell = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

/** The cells to send, one sheet per operation (price, stock, title each a batch), in grid order. */
export function toSheets(cells: PasteCell[]): PasteSheet[] {
  const sheets: PasteSheet[] = [];
  for (const column of Object.keys(PASTE_OPERATIONS) as PasteColumn[]) {
    const mine = cells.filter((c) => c.column === column && c.value !== undefined && !c.problem);
    if (!mine.length) continue;
    const op = PASTE_OPERATIONS[column];
    const cellOfRow = new Map<number, PasteCell>();
    const lines = [`item_id,${op.column}`];
    mine.forEach((c, k) => { cellOfRow.set(k + 2, c); lines.push(`${c.itemId},${csvCell(c.value!)}`); });
    sheets.push({ operationType: op.operationType, column, csv: lines.join('\n') + '\n', cellOfRow });
  }
  return sheets;
}

/** A batch item as GET /batches/{id}/items gives it. */
export interface BatchItem {
  rowNo: number; targetId: string | null; status: string; before: unknown; after: unknown;
  errorCode: string | null; errorField?: string | null; errorMessage: string | null;
}
export interface CellOutcome { cell: PasteCell; before: string; after: string; ok: boolean; problem?: CellProblem }

type Json = Record<string, unknown>;
const yuan = (cents: unknown) => (typeof cents === 'number' ? (cents / 100).toFixed(2) : String(cents ?? ''));
const count = (n: unknown) => (n === -1 ? '∞' : String(n ?? ''));
const distinct = (xs: string[]) => [...new Set(xs.filter((x) => x !== ''))].join(', ');

/**
 * The value a batch's before/after JSON holds for a column, as the grid shows it. The recorded
 * values (before, and after an applied change) are per SKU ({skus: [...]}); a dry run's after is
 * the catalogue's answer ({prices: [{cents}]} for a price, {stock} for stock, {title} for an edit).
 */
export function valueIn(column: PasteColumn, json: unknown): string {
  if (!json || typeof json !== 'object') return '';
  const j = json as Json;
  const skus = Array.isArray(j.skus) ? (j.skus as Json[]) : null;
  if (column === 'price') {
    if (Array.isArray(j.prices)) return distinct((j.prices as Json[]).map((p) => yuan(p.cents)));
    return skus ? distinct(skus.map((s) => yuan(s.sale_price_cents))) : '';
  }
  if (column === 'stock') {
    if ('stock' in j) return count(j.stock);
    return skus ? distinct(skus.map((s) => count(s.stock))) : '';
  }
  return typeof j.title === 'string' ? j.title : '';
}

/**
 * Every cell's outcome: a cell refused here keeps its problem; a sent cell takes its batch row's
 * before, after and error (a row still pending has no outcome yet and shows what was pasted).
 */
export function outcomes(cells: PasteCell[], sheets: PasteSheet[], itemsByOperation: Partial<Record<PasteOperation, BatchItem[]>>): CellOutcome[] {
  const byCell = new Map<PasteCell, CellOutcome>();
  for (const s of sheets) {
    for (const i of itemsByOperation[s.operationType] ?? []) {
      const cell = s.cellOfRow.get(i.rowNo);
      if (!cell) continue;
      const ok = i.status === 'succeeded';
      byCell.set(cell, {
        cell, ok,
        before: valueIn(s.column, i.before) || cell.shown,
        after: ok ? valueIn(s.column, i.after) || cell.value! : cell.value!,
        problem: ok ? undefined : { code: i.errorCode ?? i.status.toUpperCase(), message: i.errorMessage ?? i.status },
      });
    }
  }
  return cells.map((cell) => byCell.get(cell) ?? (cell.problem
    ? { cell, ok: false, before: cell.shown, after: cell.raw, problem: cell.problem }
    : { cell, ok: false, before: cell.shown, after: cell.value! }));
}

/** The sheet of only the cells the dry run passed: what a confirmation applies. */
export function passedOnly(sheet: PasteSheet, passed: Set<PasteCell>): PasteSheet | null {
  const cells = [...sheet.cellOfRow.values()].filter((c) => passed.has(c));
  return cells.length ? toSheets(cells).find((s) => s.operationType === sheet.operationType) ?? null : null;
}
