import { render, screen, within } from '@testing-library/react';
import { setApi } from '../../../renderer/src/api/api';
import { RunResultsView } from '../../../renderer/src/runs/RunResultsView';
import { FakeStudioApi, ok } from '../fake-studio-api';
import { detail, results, summary } from './run-fixtures';

// Serve mode (no desktop bridge): the results page offers downloads instead of "Open the run folder".

let api: FakeStudioApi;
const done = summary({ status: 'finished', endedAt: '2026-01-01T01:00:00Z', durationS: 3600, progress: null });
const file = (path: string, kind: string, sizeBytes: number, inZip = true) => ({ path, kind, sizeBytes, inZip });

beforeEach(() => {
  api = new FakeStudioApi()
    .handle('runs.results', () => ok(results()))
    .handle('runs.get', () => ok({ ...detail(), summary: done }))
    .handle('runs.image', ({ file }) => ok({ mime: 'image/png', dataBase64: btoa(`png:${file}`) }))
    .handle('runs.files', () =>
      ok({
        files: [
          file('checkpoints/best.pt', 'checkpoint', 22_000_000),
          file('checkpoints/last.pt', 'checkpoint', 66_000_000, false),
          file('eval/metrics.json', 'record', 900),
          file('export/labels.json', 'export', 20),
          file('export/model.onnx', 'model', 22_100_000),
          file('predictions/new birds.csv', 'prediction', 1_500),
          file('report.md', 'report', 4_000),
        ],
        zipBytes: 44_102_420,
      }),
    );
  setApi(api);
});

afterEach(() => setApi(null));

describe('RunDownloads (serve mode)', () => {
  it('links the zip and each export, prediction CSV and the report to the download route', async () => {
    render(<RunResultsView runId="run-1" />);
    const zip = await screen.findByRole('link', { name: 'Download the run folder (zip, 44 MB)' });
    expect(zip).toHaveAttribute('href', '/api/download/runs/run-1/zip');
    expect(zip).toHaveAttribute('download', 'run-1.zip');
    expect(screen.queryByRole('button', { name: 'Open the run folder' })).toBeNull();

    const list = screen.getByRole('list', { name: 'Files to download' });
    const link = (name: string) => within(list).getByRole('link', { name });
    expect(link('model.onnx')).toHaveAttribute('href', '/api/download/runs/run-1/file/export/model.onnx');
    expect(link('labels.json')).toHaveAttribute('href', '/api/download/runs/run-1/file/export/labels.json');
    expect(link('new birds.csv')).toHaveAttribute('href', '/api/download/runs/run-1/file/predictions/new%20birds.csv');
    expect(link('report.md')).toHaveAttribute('href', '/api/download/runs/run-1/file/report.md');
    expect(link('best.pt')).toHaveAttribute('href', '/api/download/runs/run-1/file/checkpoints/best.pt');
    // The resume checkpoint and the records travel in the zip only.
    expect(within(list).queryByRole('link', { name: 'last.pt' })).toBeNull();
    expect(within(list).queryByRole('link', { name: 'metrics.json' })).toBeNull();
    expect(api.inputsOf('runs.files')).toEqual([{ id: 'run-1' }]);
  });
});
