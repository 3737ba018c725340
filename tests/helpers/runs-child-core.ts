// A run service in its own Node process, as the app's core would run, so that a test can kill it
// with SIGKILL mid-run (bundled by tests/helpers/child-core-bundle.ts, run with plain node).
// argv[2]: JSON {dataDir, image, settings}. Prints one JSON object a line: created, event, updated.
import Dockerode from 'dockerode';
import { RunSettings } from '../../electron/contract';
import { EventBus } from '../../electron/core/event-bus';
import { studioPaths } from '../../electron/core/paths';
import { RunService } from '../../electron/core/runs/lifecycle/run-service';

const { dataDir, image, settings } = JSON.parse(process.argv[2] ?? '{}') as {
  dataDir: string;
  image: string;
  settings: unknown;
};
const socketPath = (process.env.DOCKER_HOST ?? '').replace(/^unix:\/\//, '');
const docker = new Dockerode({ socketPath });
const bus = new EventBus();
const say = (value: unknown) => process.stdout.write(`${JSON.stringify(value)}\n`);
bus.on('run.event', ({ runId, index, event }) => say({ kind: 'event', runId, index, type: event.type }));
bus.on('run.updated', (summary) => say({ kind: 'updated', id: summary.id, status: summary.status }));
const service = new RunService({
  docker: async () => docker,
  paths: studioPaths(dataDir),
  bus,
  trainerImage: async () => image,
  namePrefix: 'deit-runs-test',
  fetchNetworkMode: 'none',
  pollMs: 100,
  extraEnv: ['OMP_NUM_THREADS=1'],
});
void (async () => {
  await service.start();
  const summary = await service.create(RunSettings.parse(settings));
  say({ kind: 'created', id: summary.id, uid: process.getuid?.(), gid: process.getgid?.() });
})().catch((error: unknown) => {
  say({ kind: 'error', message: String(error) });
  process.exit(1);
});
