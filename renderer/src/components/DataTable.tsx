import type { ReactNode } from 'react';

/** One column: its header, how a row fills its cell, and its classes. */
export interface Column<Row> {
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** The row's header cell (`<th scope="row">`) instead of a `<td>`. */
  rowHeader?: boolean;
  /** Classes of the header and of every cell (e.g. `run-num` for right-aligned numbers). */
  className?: string;
  /** Extra classes of the body cells only. */
  cellClassName?: string;
  /** A body cell's hover text. */
  cellTitle?: (row: Row) => string | undefined;
  /** With `sort`: a header button sorts by this column; its hover text. */
  sortHint?: string;
}

/** Which column the rows are sorted by; the caller sorts them (it knows how its values compare). */
export interface TableSort {
  key: string;
  ascending: boolean;
  /** Called with the column's key when its header button is pressed. */
  onSort: (key: string) => void;
}

export interface DataTableProps<Row> {
  /** What the table holds, for screen readers (visually hidden: the panel's heading says it on screen). */
  caption: string;
  columns: ReadonlyArray<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row) => string;
  rowClassName?: (row: Row) => string | undefined;
  className?: string;
  /** Wraps the table in a horizontally scrolling box (wide tables in narrow windows). */
  scroll?: boolean;
  /** Sortable columns: buttons in the headers (keyboard users sort too) and `aria-sort`. */
  sort?: TableSort;
}

/**
 * A plain data table: hidden caption, one header row of column headers, a row per item. Usage:
 *
 *   <DataTable caption="Exported files" className="run-table" rows={exports} rowKey={(e) => e.path}
 *     columns={[{ key: 'format', header: 'Format', cell: (e) => e.format }, …]} />
 */
export function DataTable<Row>({
  caption,
  columns,
  rows,
  rowKey,
  rowClassName,
  className,
  scroll,
  sort,
}: DataTableProps<Row>) {
  const table = (
    <table className={className}>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((col) => (
            <HeaderCell key={col.key} column={col} sort={sort} />
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} className={rowClassName?.(row)}>
            {columns.map((col) => {
              const props = { className: joined(col.className, col.cellClassName), title: col.cellTitle?.(row) };
              return col.rowHeader ? (
                <th key={col.key} scope="row" {...props}>
                  {col.cell(row)}
                </th>
              ) : (
                <td key={col.key} {...props}>
                  {col.cell(row)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
  return scroll ? <div className="run-table-scroll">{table}</div> : table;
}

function HeaderCell<Row>({ column, sort }: { column: Column<Row>; sort?: TableSort }) {
  if (!sort) {
    return (
      <th scope="col" className={column.className}>
        {column.header}
      </th>
    );
  }
  const active = sort.key === column.key;
  return (
    <th
      scope="col"
      className={column.className}
      aria-sort={active ? (sort.ascending ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" className="run-sort-button" onClick={() => sort.onSort(column.key)} title={column.sortHint}>
        {column.header}
        <span aria-hidden="true">{active ? (sort.ascending ? '▲' : '▼') : '↕'}</span>
      </button>
    </th>
  );
}

function joined(...classes: Array<string | undefined>): string | undefined {
  const names = classes.filter(Boolean).join(' ');
  return names || undefined;
}
