import { useEffect, useState } from 'react';
import type { HubReach, ModelId } from '@contract';
import { api } from '../../api/api';
import { useWizard } from '../wizard-state';

/**
 * Whether the chosen model's pretrained weights can be had: on this machine (downloaded or imported),
 * or downloadable (the hub or the proxy answers). When neither, the wizard's `weightsUnavailable` is
 * set and the settings' defaults start from scratch (draft-defaults.ts). Returns the reachability
 * check, for saying why.
 */
export function useWeightsReach(modelId: ModelId | null): HubReach | null {
  const { update } = useWizard();
  const [reach, setReach] = useState<HubReach | null>(null);

  useEffect(() => {
    if (!modelId) return;
    let live = true;
    void Promise.all([api().call('weights.status', { modelId }), api().call('weights.hubReachable', {})]).then(
      ([status, hub]) => {
        if (!live) return;
        const onMachine = status.ok && (status.value.downloaded || status.value.imported !== null);
        // An answer missing (an older core, a failed check) is no reason to train from scratch.
        const reachable = !hub.ok || hub.value.reachable;
        setReach(hub.ok ? hub.value : null);
        update({ weightsUnavailable: status.ok && !onMachine && !reachable });
      },
    );
    return () => {
      live = false;
    };
  }, [modelId, update]);

  return reach;
}
