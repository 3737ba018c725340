/** What recharts passes to a custom axis tick. */
interface TickProps {
  x?: number | string;
  y?: number | string;
  payload?: { value: unknown };
}

/**
 * A plain SVG axis label. Recharts' default tick measures each label in the DOM to wrap it
 * (getBoundingClientRect on every redraw); ours are short numbers, so a plain <text> is enough.
 */
export function makeAxisTick(format: (value: number) => string, axis: 'x' | 'y') {
  return function AxisTick({ x, y, payload }: TickProps) {
    const value = Number(payload?.value);
    return (
      <text
        x={x}
        y={y}
        dy={axis === 'x' ? '0.9em' : '0.32em'}
        dx={axis === 'y' ? -4 : 0}
        textAnchor={axis === 'x' ? 'middle' : 'end'}
        className="recharts-cartesian-axis-tick-value"
      >
        {Number.isFinite(value) ? format(value) : ''}
      </text>
    );
  };
}
