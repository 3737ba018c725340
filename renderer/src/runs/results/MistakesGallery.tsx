import { useState } from 'react';
import type { RunResults } from '@contract';
import { useCall } from '../../api/hooks';
import { formatPercent } from '../../components/format';
import { FactList } from '../../components/FactList';
import { Panel } from '../../components/Panel';
import { AttentionControls, useAttentionView, type AttentionView } from './attention/AttentionControls';
import { AttentionOverlay } from './attention/AttentionOverlay';

type Mistake = RunResults['misclassified'][number];

const PAGE = 12;

/**
 * The validation images the model got wrong with the most confidence: often mislabelled images or
 * two classes that look alike. Thumbnails load a page at a time through runs.image.
 */
export function MistakesGallery({ runId, mistakes }: { runId: string; mistakes: RunResults['misclassified'] }) {
  const [shown, setShown] = useState(PAGE);
  const [view, setView] = useAttentionView();
  const withMaps = mistakes.filter((m) => m.attention);
  return (
    <Panel titleId="run-mistakes-title" title="Most confident mistakes">
      {mistakes.length === 0 ? (
        <p>The model got every validation image right.</p>
      ) : (
        <>
          <p className="muted">
            Validation images the model was most sure about and still got wrong. Look for mislabelled images (move them
            to the right class folder) or classes that look alike (add more varied examples).
          </p>
          {withMaps.length > 0 && (
            <AttentionControls
              view={view}
              onChange={setView}
              distilled={withMaps.some((m) => m.attention?.dist !== undefined)}
            />
          )}
          <ul className="run-mistakes">
            {mistakes.slice(0, shown).map((m) => (
              <MistakeCard key={m.path} runId={runId} mistake={m} view={view} />
            ))}
          </ul>
          {shown < mistakes.length && (
            <button type="button" onClick={() => setShown((n) => n + PAGE)}>
              Show {Math.min(PAGE, mistakes.length - shown)} more (of {mistakes.length})
            </button>
          )}
        </>
      )}
    </Panel>
  );
}

function MistakeCard({ runId, mistake, view }: { runId: string; mistake: Mistake; view: AttentionView }) {
  const image = useCall('runs.image', { id: runId, file: mistake.path });
  const description = `${mistake.trueLabel} predicted as ${mistake.predictedLabel}`;
  return (
    <li className="run-mistake">
      <div className="run-mistake-thumb">
        {image.data ? (
          <img src={`data:${image.data.mime};base64,${image.data.dataBase64}`} alt={description} />
        ) : (
          <span className="muted">{image.error ? 'Image not available' : 'Loading…'}</span>
        )}
        {view.shown && mistake.attention && image.data && (
          <AttentionOverlay map={mistake.attention} token={view.token} opacity={view.opacity} />
        )}
      </div>
      <FactList
        facts={[
          { label: 'True', value: mistake.trueLabel },
          { label: 'Predicted', value: mistake.predictedLabel },
          { label: 'Confidence', value: formatPercent(mistake.confidence, 0) },
        ]}
      />
      <p className="run-path muted" title={image.error?.message}>
        {mistake.path}
      </p>
    </li>
  );
}
