/**
 * A progress bar with an accessible name; without a value it shows "working" (indeterminate),
 * for phases whose size nobody knows (an image build, a folder being listed).
 */
export function ProgressMeter({ label, fraction }: { label: string; fraction: number | null }) {
  const value = fraction === null ? undefined : Math.max(0, Math.min(1, fraction));
  return (
    <progress
      className="progress-meter"
      aria-label={label}
      max={1}
      value={value}
      aria-valuetext={value === undefined ? 'In progress' : `${Math.round(value * 100)} percent`}
    />
  );
}
