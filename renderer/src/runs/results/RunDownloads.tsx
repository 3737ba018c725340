import { runFileDownloadUrl, runZipDownloadUrl, type RunFile, type RunFileKind } from '@contract';
import { useCall } from '../../api/hooks';
import { TicketLink } from '../../api/TicketLink';
import { ErrorNotice } from '../../components/ErrorNotice';
import { formatBytes } from '../../components/format';

/** The groups a researcher looks for, in this order; logs and records travel in the zip. */
const GROUPS: Array<{ kind: RunFileKind; title: string }> = [
  { kind: 'model', title: 'Trained model' },
  { kind: 'export', title: 'Labels and preprocessing' },
  { kind: 'prediction', title: 'Predictions on new images' },
  { kind: 'report', title: 'Methods report' },
];

/** The best checkpoint is offered (PyTorch weights to fine-tune further); the resume one is not. */
function offered(file: RunFile): boolean {
  return GROUPS.some((g) => g.kind === file.kind) || file.path === 'checkpoints/best.pt';
}

/** A link that downloads one file of the run folder through the serve-mode download route. */
export function DownloadLink({ runId, file, label }: { runId: string; file: string; label?: string }) {
  const name = file.split('/').pop() ?? file;
  return (
    <TicketLink href={runFileDownloadUrl(runId, file)} download={name} className="run-download-link">
      {label ?? `Download ${name}`}
    </TicketLink>
  );
}

/**
 * Serve mode: the browser cannot open the server's run folder, so its files come as downloads —
 * the whole folder as a zip (without the resume checkpoint), and each export, prediction CSV and
 * the methods report on its own. The desktop app opens the folder instead.
 */
export function RunDownloads({ runId }: { runId: string }) {
  const files = useCall('runs.files', { id: runId });
  const list = files.data?.files.filter(offered) ?? [];
  return (
    <div className="run-downloads">
      <p>
        <TicketLink href={runZipDownloadUrl(runId)} download={`${runId}.zip`} className="run-button-link primary">
          Download the run folder (zip{files.data ? `, ${formatBytes(files.data.zipBytes)}` : ''})
        </TicketLink>{' '}
        <span className="muted">
          everything except the resume checkpoint <code>checkpoints/last.pt</code>
        </span>
      </p>
      {files.error && <ErrorNotice error={files.error} onRetry={files.reload} />}
      {list.length > 0 && (
        <ul className="run-download-list" aria-label="Files to download">
          {[...GROUPS, { kind: 'checkpoint' as const, title: 'Best weights (PyTorch checkpoint)' }].map((group) => {
            const inGroup = list.filter((f) => f.kind === group.kind);
            if (inGroup.length === 0) return null;
            return (
              <li key={group.kind}>
                {group.title}:{' '}
                {inGroup.map((f, i) => (
                  <span key={f.path}>
                    {i > 0 && ', '}
                    <DownloadLink runId={runId} file={f.path} label={f.path.split('/').pop()} />{' '}
                    <span className="muted">({formatBytes(f.sizeBytes)})</span>
                  </span>
                ))}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
