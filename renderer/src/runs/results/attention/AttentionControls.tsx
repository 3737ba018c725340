import { useId, useState } from 'react';
import type { AttentionToken } from './attention-map';

export interface AttentionView {
  shown: boolean;
  opacity: number;
  token: AttentionToken;
}

export const METHOD_SENTENCE =
  "Attention rollout: which parts of the image the model's class token drew on; a guide to spot shortcuts such as a watermark or the background, not a proof of why.";

/** The overlay's settings, shared by every image of one gallery or table. Hidden at first. */
export function useAttentionView(): [AttentionView, (next: Partial<AttentionView>) => void] {
  const [view, setView] = useState<AttentionView>({ shown: false, opacity: 0.6, token: 'cls' });
  return [view, (next) => setView((v) => ({ ...v, ...next }))];
}

/**
 * "Show where the model looked": a checkbox, an opacity slider (a labelled range input: arrow keys
 * move it) and, for distilled models, which token's map. Shown only when some image has a map.
 */
export function AttentionControls({
  view,
  onChange,
  distilled,
}: {
  view: AttentionView;
  onChange: (next: Partial<AttentionView>) => void;
  distilled: boolean;
}) {
  const id = useId();
  return (
    <div className="attention-controls">
      <label>
        <input type="checkbox" checked={view.shown} onChange={(e) => onChange({ shown: e.target.checked })} /> Show
        where the model looked
      </label>
      {view.shown && (
        <>
          <label htmlFor={`${id}-opacity`}>Overlay opacity</label>
          <input
            id={`${id}-opacity`}
            type="range"
            min={0}
            max={100}
            step={5}
            value={Math.round(view.opacity * 100)}
            aria-valuetext={`${Math.round(view.opacity * 100)} %`}
            onChange={(e) => onChange({ opacity: Number(e.target.value) / 100 })}
          />
          {distilled && (
            <>
              <label htmlFor={`${id}-token`}>Map of</label>
              <select
                id={`${id}-token`}
                value={view.token}
                onChange={(e) => onChange({ token: e.target.value as AttentionToken })}
              >
                <option value="cls">the class token</option>
                <option value="dist">the distillation token</option>
                <option value="average">the average of both tokens</option>
              </select>
            </>
          )}
        </>
      )}
      <p className="muted attention-method">{METHOD_SENTENCE}</p>
    </div>
  );
}
