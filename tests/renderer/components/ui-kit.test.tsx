import { act, render, renderHook, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it } from 'vitest';
import type { AppErrorShape, Result } from '../../../electron/contract';
import { DataTable, type Column } from '../../../renderer/src/components/DataTable';
import { FactList } from '../../../renderer/src/components/FactList';
import { Panel } from '../../../renderer/src/components/Panel';
import { StatusBadge } from '../../../renderer/src/components/StatusBadge';
import { useAsyncAction } from '../../../renderer/src/components/use-async-action';

describe('Panel', () => {
  it('is a region named by its heading, with its description and content', () => {
    render(
      <Panel titleId="p-title" title="Exported model" description="Where the files are." className="extra" busy>
        <p>inside</p>
      </Panel>,
    );
    const region = screen.getByRole('region', { name: 'Exported model' });
    expect(region).toHaveClass('panel', 'extra');
    expect(region).toHaveAttribute('aria-busy', 'true');
    expect(within(region).getByRole('heading', { level: 2, name: 'Exported model' })).toHaveAttribute('id', 'p-title');
    expect(within(region).getByText('Where the files are.')).toHaveClass('muted');
    expect(within(region).getByText('inside')).toBeInTheDocument();
  });
});

describe('FactList', () => {
  it('lists label/value pairs in order and leaves out the facts that do not apply', () => {
    const { container } = render(
      <FactList
        className="facts"
        label="This run"
        facts={[{ label: 'Model', value: 'DeiT-S' }, false, { label: 'Dataset', value: 'cats', title: '/data/cats' }]}
      />,
    );
    const list = screen.getByLabelText('This run');
    expect(list.tagName).toBe('DL');
    expect([...container.querySelectorAll('dt')].map((dt) => dt.textContent)).toEqual(['Model', 'Dataset']);
    expect(screen.getByText('cats')).toHaveAttribute('title', '/data/cats');
  });
});

interface Row {
  name: string;
  count: number;
}
const COLUMNS: Column<Row>[] = [
  { key: 'name', header: 'Class', rowHeader: true, cell: (r) => r.name },
  { key: 'count', header: 'Images', className: 'num', cell: (r) => String(r.count) },
];

function SortedTable() {
  const [sort, setSort] = useState({ key: 'name', ascending: true });
  const rows = [
    { name: 'b', count: 1 },
    { name: 'a', count: 2 },
  ].sort((x, y) => (sort.ascending ? 1 : -1) * (x.name < y.name ? -1 : 1));
  return (
    <DataTable
      caption="Per class"
      columns={COLUMNS}
      rows={rows}
      rowKey={(r) => r.name}
      sort={{ ...sort, onSort: (key) => setSort((s) => ({ key, ascending: s.key === key ? !s.ascending : true })) }}
    />
  );
}

describe('DataTable', () => {
  it('has a caption, column headers, row headers and a row per item', () => {
    render(
      <DataTable caption="Per class" columns={COLUMNS} rows={[{ name: 'cats', count: 3 }]} rowKey={(r) => r.name} />,
    );
    const table = screen.getByRole('table', { name: 'Per class' });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['Class', 'Images']);
    expect(within(table).getByRole('rowheader', { name: 'cats' })).toBeInTheDocument();
    expect(within(table).getByRole('cell', { name: '3' })).toHaveClass('num');
  });

  it('sorts with header buttons and says the order with aria-sort', async () => {
    render(<SortedTable />);
    const header = screen.getByRole('columnheader', { name: /Class/ });
    expect(header).toHaveAttribute('aria-sort', 'ascending');
    expect(screen.getAllByRole('rowheader').map((th) => th.textContent)).toEqual(['a', 'b']);
    await userEvent.click(within(header).getByRole('button'));
    expect(header).toHaveAttribute('aria-sort', 'descending');
    expect(screen.getAllByRole('rowheader').map((th) => th.textContent)).toEqual(['b', 'a']);
    expect(screen.getByRole('columnheader', { name: /Images/ })).toHaveAttribute('aria-sort', 'none');
  });
});

describe('useAsyncAction', () => {
  const failure: AppErrorShape = { kind: 'internal', message: 'It broke.', fix: 'Try again.' };

  it('is busy while the call runs, returns its value, and keeps a typed error', async () => {
    const { result } = renderHook(() => useAsyncAction());
    let finish!: (r: Result<number>) => void;
    let answer: Promise<number | undefined>;
    act(() => {
      answer = result.current.run(() => new Promise<Result<number>>((resolve) => (finish = resolve)));
    });
    expect(result.current.busy).toBe(true);
    // A second press while the first runs does not call again.
    let second: number | undefined = 1;
    await act(async () => {
      second = await result.current.run(async () => ({ ok: true, value: 2 }) as Result<number>);
    });
    expect(second).toBeUndefined();
    await act(async () => {
      finish({ ok: true, value: 7 });
      expect(await answer).toBe(7);
    });
    expect(result.current.busy).toBe(false);
    await act(async () => {
      expect(await result.current.run(async () => ({ ok: false, error: failure }) as Result<number>)).toBeUndefined();
    });
    expect(result.current.error).toEqual(failure);
    act(() => result.current.clearError());
    expect(result.current.error).toBeNull();
  });
});

describe('StatusBadge', () => {
  it('shows its icon and word, keeps the caller’s class, and takes its tone’s own class', () => {
    render(<StatusBadge tone="warn" className="run-status" />);
    const badge = screen.getByText('Warning');
    expect(badge).toHaveClass('run-status');
    expect(badge.textContent).toBe('!Warning');
    // The CSS Module's local names (tone classes differ per tone, so colour follows the tone).
    const other = render(<StatusBadge tone="ok" />).container.firstElementChild!;
    expect(badge.className).not.toBe(other.className);
    expect(badge.className.split(' ').length).toBe(3);
  });
});
