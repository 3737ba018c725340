import type { MachineReadiness } from '../wizard-state';

/**
 * Which GPUs a run uses, on a machine with more than one: none ticked means all. Runs on different
 * GPUs can train side by side; a run on a busy GPU waits in the queue.
 */
export function GpuChoice({
  gpus,
  value,
  onChange,
}: {
  gpus: MachineReadiness['gpus'];
  value: string[];
  onChange: (gpuIds: string[]) => void;
}) {
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...value, id].sort((a, b) => Number(a) - Number(b)) : value.filter((v) => v !== id));
  return (
    <fieldset className="field gpu-choice" aria-describedby="gpu-choice-hint">
      <legend>GPUs</legend>
      {gpus.map((gpu) => {
        const id = String(gpu.index);
        return (
          <label key={id} className="checkbox">
            <input type="checkbox" checked={value.includes(id)} onChange={(e) => toggle(id, e.target.checked)} />
            GPU {gpu.index}: {gpu.name}
            {gpu.memoryMiB ? ` (${Math.round(gpu.memoryMiB / 1024)} GiB)` : ''}
          </label>
        );
      })}
      <p id="gpu-choice-hint" className="field-hint">
        {value.length === 0
          ? 'None ticked: the run uses all GPUs.'
          : `The run uses ${value.length === 1 ? 'GPU' : 'GPUs'} ${value.join(', ')}. Another run can use the others at the same time.`}
      </p>
    </fieldset>
  );
}
