import type { RunResults, SelectionMetric, SplitScores } from '@contract';
import { formatCount, formatPercent } from '../../components/format';
import { Panel } from '../../components/Panel';

const METRIC_NAMES: Record<SelectionMetric, string> = {
  top1: 'top-1 accuracy',
  balanced_accuracy: 'balanced accuracy',
};

/**
 * The numbers to quote: from the test images when the run had a test split (evaluated once, with the
 * chosen model), else from the validation images, said to be optimistic (they also picked the epoch).
 * Top-1 with its 95 % Wilson interval, balanced accuracy and macro-F1 over the classes that have
 * images, top-5 only with more than 5 classes; which metric picked the epoch; classes not scored.
 * Runs from older trainers lack most of these: what exists is shown.
 */
export function HeadlineMetrics({ results }: { results: RunResults }) {
  const headline = results.test ?? results.validation ?? legacyScores(results);
  const onTest = headline.split === 'test';
  const splitWord = onTest ? 'test' : 'validation';
  return (
    <Panel titleId="run-final-title" title={`Final accuracy on the ${splitWord} images`}>
      <dl className="run-final-metrics">
        <div>
          <dt>Top-1 accuracy</dt>
          <dd>{formatPercent(headline.top1)}</dd>
          <dd className="muted">
            {headline.top1Interval
              ? `95 % interval ${formatInterval(headline.top1Interval)} (Wilson)`
              : 'the model’s first guess is right'}
          </dd>
        </div>
        {headline.balancedAccuracy !== null && (
          <div>
            <dt>Balanced accuracy</dt>
            <dd>{formatPercent(headline.balancedAccuracy)}</dd>
            <dd className="muted">mean recall: every class counts the same</dd>
          </div>
        )}
        <div>
          <dt>Macro-F1</dt>
          <dd>{formatPercent(headline.macroF1)}</dd>
          <dd className="muted">average F1 over classes with {splitWord} images</dd>
        </div>
        {headline.top5 !== null && (
          <div>
            <dt>Top-5 accuracy</dt>
            <dd>{formatPercent(headline.top5)}</dd>
            <dd className="muted">the right class is among its 5 best guesses</dd>
          </div>
        )}
        <div>
          <dt>{onTest ? 'Test images' : 'Validation images'}</dt>
          <dd>{formatCount(headline.count)}</dd>
          <dd className="muted">never trained on</dd>
        </div>
      </dl>
      <p className="run-headline-source">
        {headline.count === 0
          ? `There are no ${splitWord} images, so no accuracy could be measured.`
          : onTest
            ? `From the ${formatCount(headline.count)} test images, evaluated once with the chosen model: an unbiased estimate.`
            : 'From the validation images, which also picked the best epoch: an optimistic estimate. A test/ folder beside the class folders gives an unbiased number.'}
      </p>
      <Details results={results} headline={headline} />
    </Panel>
  );
}

function Details({ results, headline }: { results: RunResults; headline: SplitScores }) {
  const { selection, validation, evalPrecision } = results;
  return (
    <ul className="run-headline-details">
      {selection && (
        <li>
          Best epoch{selection.bestEpoch !== null ? ` ${selection.bestEpoch}` : ''}, picked by{' '}
          <strong>{METRIC_NAMES[selection.metric]}</strong> on the validation images
          {selection.reason ? ` (${selection.reason})` : ''}.
        </li>
      )}
      {headline.split === 'test' && validation && (
        <li>
          On the {formatCount(validation.count)} validation images (used to pick the epoch): top-1{' '}
          {formatPercent(validation.top1)}, balanced accuracy {formatPercent(validation.balancedAccuracy)}.
        </li>
      )}
      {headline.classesWithoutImages.length > 0 && (
        <li>
          Not scored (no {headline.split} images): {headline.classesWithoutImages.join(', ')}.
        </li>
      )}
      {evalPrecision && <li>Evaluated in {evalPrecision}, the precision the exported model and predictions use.</li>}
    </ul>
  );
}

/** 0.882, 0.937 → "88.2–93.7 %". */
export function formatInterval([low, high]: [number, number]): string {
  return `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)} %`;
}

/** What a run from before the new numbers offers: top-1/top-5 and F1 averaged over classes with images. */
function legacyScores(results: RunResults): SplitScores {
  const scored = results.perClass.filter((c) => c.support > 0 && c.f1 !== null);
  return {
    split: 'validation',
    count: results.perClass.reduce((sum, c) => sum + c.support, 0),
    top1: results.valTop1,
    top1Interval: null,
    top5: results.perClass.length > 5 ? results.valTop5 : null, // with ≤ 5 classes it is always 100 %
    balancedAccuracy: null,
    macroF1: scored.length ? scored.reduce((sum, c) => sum + (c.f1 ?? 0), 0) / scored.length : null,
    classesWithoutImages: results.perClass.filter((c) => c.support === 0).map((c) => c.name),
  };
}
