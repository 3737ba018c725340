import { render, screen, within } from '@testing-library/react';
import { MethodsReport } from '../../../renderer/src/runs/results/MethodsReport';

const REPORT = [
  '# Methods',
  '',
  'Trained with `timm` 1.0.29',
  'on **one** GPU, *bf16*.',
  '',
  '## Split',
  '- train: 2400',
  '- val: 600',
  '',
  '1. first',
  '2. second',
  '',
  '| class | images |',
  '|---|---:|',
  '| cat | 800 |',
  '| dog | 800 |',
  '',
  '```',
  'python -m deit_trainer train',
  '```',
  '',
  'See [timm](https://github.com/huggingface/pytorch-image-models) and ![curve](loss.png).',
].join('\n');

function renderReport(markdown: string) {
  render(<MethodsReport markdown={markdown} />);
  return screen.getByRole('region', { name: 'Methods report' });
}

describe('MethodsReport', () => {
  it('shows the structure a methods report uses: headings under the page’s h2, lists, a table, code', () => {
    const report = renderReport(REPORT);
    expect(within(report).getByRole('heading', { level: 3, name: 'Methods' })).toBeInTheDocument();
    expect(within(report).getByRole('heading', { level: 4, name: 'Split' })).toBeInTheDocument();
    const paragraph = within(report).getByText(/Trained with/);
    expect(paragraph.tagName).toBe('P');
    expect(paragraph).toHaveTextContent('Trained with timm 1.0.29 on one GPU, bf16.');
    expect(within(paragraph).getByText('timm').tagName).toBe('CODE');
    expect(within(paragraph).getByText('one').tagName).toBe('STRONG');
    expect(within(paragraph).getByText('bf16').tagName).toBe('EM');
    const [bullets, numbered] = within(report).getAllByRole('list');
    expect(bullets!.tagName).toBe('UL');
    expect(
      within(bullets!)
        .getAllByRole('listitem')
        .map((li) => li.textContent),
    ).toEqual(['train: 2400', 'val: 600']);
    expect(numbered!.tagName).toBe('OL');
    const table = within(report).getByRole('table');
    expect(table).toHaveClass('run-table');
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((th) => th.textContent),
    ).toEqual(['class', 'images']);
    expect(within(table).getAllByRole('row')).toHaveLength(3);
    expect(report.querySelector('pre > code')).toHaveTextContent('python -m deit_trainer train');
  });

  it('shows links and images as text with their address: nothing to navigate to, nothing loaded', () => {
    const report = renderReport(REPORT);
    expect(report).toHaveTextContent(
      'See timm (https://github.com/huggingface/pytorch-image-models) and curve (loss.png).',
    );
    expect(report.querySelector('a, img')).toBeNull();
  });

  it('shows raw HTML in the file as text, never as elements', () => {
    const report = renderReport(
      'Before <script>window.pwned = 1</script> and <img src=x onerror="window.pwned = 2"> after\n\n<div onclick="x()">block</div>\n',
    );
    expect(report).toHaveTextContent('<script>window.pwned = 1</script>');
    expect(report).toHaveTextContent('<img src=x onerror="window.pwned = 2">');
    expect(report).toHaveTextContent('<div onclick="x()">block</div>');
    expect(report.querySelector('script, img, div[onclick]')).toBeNull();
    expect((window as unknown as { pwned?: number }).pwned).toBeUndefined();
  });

  it('says when the report is empty', () => {
    expect(renderReport('  \n')).toHaveTextContent('The report is empty.');
  });
});
