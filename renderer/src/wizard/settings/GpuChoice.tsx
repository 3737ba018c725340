import { useEffect, useMemo, useRef, useState } from 'react';
import { GPU_USE_WINDOW_MS, gpuUse, peakReadings, type GpuReading, type GpuSample } from '@contract';
import { useCall, useEvent } from '../../api/hooks';
import type { MachineReadiness } from '../wizard-state';
import { GpuChoiceSummary } from './GpuChoiceSummary';
import './gpu-choice.css';
import type { SettingsDraft } from './settings-draft';

/**
 * Each GPU's reading, steady: its peak over the last 10 s of telemetry (the recent samples, then each
 * live one), so a GPU between another program's bursts does not flicker from "95 % busy" to "2 % busy".
 */
function useSteadyReadings(): Map<number, GpuReading> | null {
  const recent = useCall('telemetry.recent', { seconds: GPU_USE_WINDOW_MS / 1000 });
  const [live, setLive] = useState<GpuSample[]>([]);
  useEvent('gpu.sample', (sample) =>
    setLive((kept) => [...kept.filter((s) => s.time >= sample.time - GPU_USE_WINDOW_MS), sample]),
  );
  return useMemo(() => {
    const samples = [...(recent.data ?? []), ...live];
    return samples.length > 0 ? peakReadings(samples) : null;
  }, [recent.data, live]);
}

/**
 * Which GPUs a run trains on, on a machine with more than one (one copy of the model per GPU,
 * data-parallel). Each GPU shows its memory and what it is doing now; one that another program uses
 * is flagged and left out of the default. Default: every idle GPU (the draft's empty list means all
 * GPUs, so a busy one turns it into the idle ones once, when the readings first come). At least one
 * GPU stays ticked. Runs on different GPUs can train side by side.
 */
export function GpuChoice({
  gpus,
  value,
  onChange,
  draft,
  nTrain = 0,
}: {
  gpus: MachineReadiness['gpus'];
  value: string[];
  onChange: (gpuIds: string[]) => void;
  draft: Pick<SettingsDraft, 'batchMode' | 'batchSize' | 'learningRate' | 'freezeBackbone' | 'fromScratch'>;
  /** Training images of the scanned dataset, for the automatic batch per GPU (0: not known). */
  nTrain?: number;
}) {
  const readings = useSteadyReadings();
  const allIds = gpus.map((gpu) => String(gpu.index));
  const chosen = value.length === 0 ? allIds : value.filter((id) => allIds.includes(id));
  const busyIds = readings ? allIds.filter((id) => gpuUse(readings.get(Number(id)) ?? nothing).busy) : [];
  const idleIds = allIds.filter((id) => !busyIds.includes(id));

  // The default leaves out GPUs another program uses; once only, so the user's own choice stands.
  const defaulted = useRef(false);
  const busyKey = busyIds.join(',');
  useEffect(() => {
    if (defaulted.current || readings === null) return;
    defaulted.current = true;
    if (value.length === 0 && busyKey !== '' && idleIds.length > 0) onChange(idleIds);
  }, [readings, busyKey, value.length, idleIds, onChange]);

  const toggle = (id: string, on: boolean) => {
    const next = on ? [...chosen, id] : chosen.filter((v) => v !== id);
    if (next.length === 0) return; // a run needs a GPU; the last one stays ticked (and says so)
    onChange(next.sort((a, b) => Number(a) - Number(b)));
  };
  const busyChosen = chosen.filter((id) => busyIds.includes(id));
  // Another run can share the machine only on an unchosen GPU that nothing else uses.
  const freeOthers = idleIds.filter((id) => !chosen.includes(id));
  return (
    <fieldset className="field gpu-choice" aria-describedby="gpu-choice-hint">
      <legend>GPUs</legend>
      {gpus.map((gpu) => {
        const id = String(gpu.index);
        const reading = readings?.get(gpu.index);
        const use = reading ? gpuUse(reading) : null;
        const only = chosen.length === 1 && chosen[0] === id;
        // Memory another program holds is what rules a GPU out (utilisation comes and goes): said plainly.
        const useText =
          use?.busy && !chosen.includes(id)
            ? `in use by another program — left out${use.figures ? ` (${use.figures})` : ''}`
            : use?.text;
        return (
          <div key={id} className={`gpu-choice-row${use?.busy ? ' gpu-busy' : ''}`}>
            <label className="checkbox">
              <input
                type="checkbox"
                checked={chosen.includes(id)}
                disabled={only}
                aria-describedby={`gpu-use-${id}`}
                onChange={(e) => toggle(id, e.target.checked)}
              />
              GPU {gpu.index}: {gpu.name}
              {gpu.memoryMiB ? ` (${Math.round(gpu.memoryMiB / 1024)} GiB)` : ''}
            </label>{' '}
            <span id={`gpu-use-${id}`} className={use?.busy ? 'gpu-use gpu-use-busy' : 'gpu-use muted'}>
              {useText ?? (readings ? 'no reading' : 'current use not known yet')}
            </span>
          </div>
        );
      })}
      <p id="gpu-choice-hint" className="field-hint">
        {chosen.length === allIds.length
          ? `The run trains on all ${allIds.length} GPUs.`
          : `The run trains on ${chosen.length === 1 ? 'GPU' : 'GPUs'} ${chosen.join(', ')}.${freeOthers.length > 0 ? ' Another run can use the others at the same time.' : ''}`}
        {chosen.length === 1 && ' At least one GPU stays chosen.'}
        {busyChosen.length > 0 &&
          ` GPU ${busyChosen.join(', ')} ${busyChosen.length === 1 ? 'is' : 'are'} in use by another program: training there is slower and may run out of memory.`}
      </p>
      <GpuChoiceSummary count={chosen.length} draft={draft} nTrain={nTrain} />
    </fieldset>
  );
}

const nothing = { utilizationPct: null, memoryUsedMiB: null };
