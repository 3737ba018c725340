import { parseInline, parseMarkdownLite } from '../../../renderer/src/runs/results/markdown-lite';

describe('parseMarkdownLite', () => {
  it('reads the structure a methods report uses', () => {
    const md = [
      '# Methods',
      '',
      'Trained with `timm` 1.0.29',
      'on **one** GPU.',
      '',
      '## Split',
      '- train: 2400',
      '- val: 600',
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
    ].join('\n');
    const blocks = parseMarkdownLite(md);
    expect(blocks.map((b) => b.kind)).toEqual(['heading', 'paragraph', 'heading', 'list', 'list', 'table', 'code']);
    expect(blocks[1]).toEqual({
      kind: 'paragraph',
      text: [
        { kind: 'text', text: 'Trained with ' },
        { kind: 'code', text: 'timm' },
        { kind: 'text', text: ' 1.0.29 on ' },
        { kind: 'strong', text: 'one' },
        { kind: 'text', text: ' GPU.' },
      ],
    });
    expect(blocks[3]).toMatchObject({ kind: 'list', ordered: false });
    expect(blocks[4]).toMatchObject({ kind: 'list', ordered: true });
    const table = blocks[5]!;
    expect(table.kind === 'table' && table.rows.length).toBe(2);
    expect(blocks[6]).toEqual({ kind: 'code', text: 'python -m deit_trainer train' });
  });

  it('keeps HTML as literal text', () => {
    expect(parseInline('<b onclick="x()">hi</b>')).toEqual([{ kind: 'text', text: '<b onclick="x()">hi</b>' }]);
  });

  it('shows links as text with their address, never as links', () => {
    expect(parseInline('see [timm](https://github.com/huggingface/pytorch-image-models)')).toEqual([
      { kind: 'text', text: 'see ' },
      { kind: 'text', text: 'timm (https://github.com/huggingface/pytorch-image-models)' },
    ]);
  });
});
