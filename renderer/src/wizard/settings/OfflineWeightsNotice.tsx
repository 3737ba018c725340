import type { HubReach } from '@contract';

/**
 * Says what happens when the pretrained weights can be neither found here nor downloaded: the run
 * trains from scratch (the default then), or — when the user chose pretrained anyway — it cannot start.
 */
export function OfflineWeightsNotice({
  modelTitle,
  fromScratch,
  reach,
}: {
  modelTitle: string;
  fromScratch: boolean;
  reach: HubReach | null;
}) {
  const why = reach?.why ? `: ${reach.why}` : '';
  const ways =
    'With a connection, or a weights file from elsewhere (Advanced → Starting weights → Import weights…), choose Pretrained again.';
  if (fromScratch) {
    return (
      <div className="notice notice-warning" role="note" aria-labelledby="offline-weights-title">
        <p id="offline-weights-title" className="notice-title">
          Offline: this run trains from scratch.
        </p>
        <p>
          The pretrained weights of {modelTitle} are not on this computer and cannot be downloaded from here{why}. So
          the model starts from random weights: it learns, but ends weaker than a pretrained one would. {ways}
        </p>
      </div>
    );
  }
  return (
    <div className="notice notice-error" role="note" aria-labelledby="offline-weights-title">
      <p id="offline-weights-title" className="notice-title">
        The pretrained weights of {modelTitle} cannot be downloaded from here{why}.
      </p>
      <p>
        The run would stop before training. Choose From scratch or Import weights… under Advanced → Starting weights, or
        connect this computer first.
      </p>
    </div>
  );
}
