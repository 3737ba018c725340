import { useState } from 'react';
import type { EngineEntry, EnvironmentReport } from '@contract';
import { useCall, type CallState } from '../../../api/hooks';

/** An engine as the step names it: from `engines.list`, or as the doctor's report names it. */
export type DescribedEngine = Pick<EngineEntry, 'id' | 'kind' | 'label'>;

/**
 * The engine a report says it describes (`EnvironmentReport.engine`, optional: older cores' reports
 * have none), read defensively.
 */
export function reportEngine(report: EnvironmentReport | undefined): DescribedEngine | null {
  const engine: unknown = report ? (report as { engine?: unknown }).engine : undefined;
  if (!engine || typeof engine !== 'object') return null;
  const { id, kind, label } = engine as Record<string, unknown>;
  if (typeof id !== 'string' || typeof label !== 'string' || (kind !== 'local' && kind !== 'ssh')) return null;
  return { id, kind, label } as DescribedEngine;
}

/** The doctor's report for the engine in use, and which engine that is. */
export interface EngineCheck {
  /** `engines.list`: every engine and the current one (an error when the core has no engines). */
  engines: CallState<{ engines: EngineEntry[]; currentId: string }>;
  /** `environment.check` on the current engine; reloads by itself when the current engine changes. */
  check: CallState<EnvironmentReport>;
  /** The report when it describes the current engine; undefined while that engine is still being checked. */
  report: EnvironmentReport | undefined;
  /** The engine the report describes; undefined when the core does not say (no engines list). */
  describes: DescribedEngine | undefined;
  /** Counts the switches to another engine (0 at first): the training image is asked for again on each. */
  switches: number;
}

/**
 * The Environment step's doctor, following the current engine: when `engines.list` names another current
 * engine (chosen, added or removed here), the check runs again and the old engine's report is no longer
 * shown as if it described the new one. Usage:
 *
 *   const { engines, check, report, describes } = useEngineCheck();
 */
export function useEngineCheck(): EngineCheck {
  const engines = useCall('engines.list', {});
  const currentId = engines.data?.currentId;
  // The engine the latest check was asked for. The first check starts before the list answers; the core
  // checks its current engine, which is the one the list then names.
  const [checkedId, setCheckedId] = useState<string | undefined>(undefined);
  const [switches, setSwitches] = useState(0);
  if (currentId !== undefined && currentId !== checkedId) {
    setCheckedId(currentId);
    if (checkedId !== undefined) setSwitches(switches + 1);
  }
  const check = useCall('environment.check', {}, String(switches));
  // Which switch the shown data answers (set when a check answers: data changes identity). Reloading the
  // same engine keeps its report on screen; after a switch, the old engine's report is not shown.
  const [owner, setOwner] = useState<{ data: EnvironmentReport; switches: number } | null>(null);
  if (!check.loading && check.data && owner?.data !== check.data) setOwner({ data: check.data, switches });
  const named = reportEngine(check.data);
  const fresh =
    check.data !== undefined &&
    (!check.loading || owner?.switches === switches) &&
    // A report that names its engine is never shown for another one.
    (named === null || checkedId === undefined || named.id === checkedId);
  const listed = engines.data?.engines.find((engine) => engine.id === (named?.id ?? checkedId));
  const describes = !fresh ? undefined : (listed ?? named ?? undefined);
  return { engines, check, report: fresh ? check.data : undefined, describes, switches };
}
