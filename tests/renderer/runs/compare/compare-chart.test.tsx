import { render } from '@testing-library/react';
import { CompareChart } from '../../../../renderer/src/runs/compare/CompareChart';

describe('CompareChart', () => {
  it('shows a one-epoch run as a dot, on an axis of whole epochs', () => {
    const { container } = render(
      <CompareChart
        title="Validation loss"
        xLabel="epoch"
        xWhole
        formatX={String}
        formatY={(y) => y.toFixed(2)}
        best="min"
        lines={[
          { runId: 'one', name: 'one epoch', color: '#2f81f7', points: [[1, 2.24]] },
          {
            runId: 'two',
            name: 'two epochs',
            color: '#e0691a',
            points: [
              [1, 2.2],
              [2, 2.12],
            ],
          },
        ]}
      />,
    );
    expect(container.querySelectorAll('circle.compare-dot')).toHaveLength(3);
    const xTicks = [...container.querySelectorAll('.compare-axis > text[text-anchor="middle"]')]
      .map((t) => t.textContent)
      .filter((t) => t !== 'epoch');
    expect(xTicks).toEqual(['0', '1', '2']);
  });
});
