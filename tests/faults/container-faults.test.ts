import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  exhaustContainerMemory,
  expectLossWithinBound,
  expectNothingDoubled,
  FAULT_EPOCHS,
  faultSettings,
  openDashboard,
  trainContainer,
  withTrainMemoryLimit,
} from './fault-kit';
import { FaultSuite, pastFirstCheckpoint } from './fault-suite';

// Faults of the training container while the engine stays up: `docker kill` (SIGKILL from outside)
// and the kernel's OOM killer. Each: the run fails with a plain cause and fix, resumes from its last
// checkpoint (at most the epoch in progress is lost), and nothing is doubled in runs.get or on a
// dashboard that stayed open through it all.
const suite = new FaultSuite('container');
beforeAll(() => suite.setUp());
afterAll(async () => expect(await suite.tearDown()).toBeNull());

describe('the training container dies', () => {
  it('killed from outside (SIGKILL): failed "killed", resumable, resumed with at most one epoch lost', async () => {
    const h = suite.harness();
    const { id } = await h.service.create(faultSettings(suite.seed.dataset));
    const dashboard = await openDashboard(h, id);
    await pastFirstCheckpoint(h, id);
    const info = await trainContainer(h, id);
    await suite.docker.getContainer(info!.Id).kill(); // SIGKILL: nothing is saved
    const killed = await h.waitStatus(id, ['failed', 'stopped', 'finished'], 60_000);
    expect(killed).toMatchObject({ status: 'failed', resumable: true, failure: { cause: 'killed' } });
    expect(killed.failure!.message).toMatch(/stopped from outside DeiT Studio/);
    expect(killed.failure!.fix).toMatch(/Resume the run to continue from its last checkpoint/);
    expect(await h.containers(id)).toEqual([]);

    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS });
    const runDir = path.join(h.paths.runsDir, id);
    expectLossWithinBound(runDir, 0);
    await expectNothingDoubled(h, id, dashboard);
  });

  it('killed by the kernel for memory: failed "killed_for_memory" with a smaller batch offered, resumable', async () => {
    // A memory limit on the container (test-only; 1.5 GiB is far above a tiny run's need), then a
    // process in it takes memory until the kernel's OOM killer ends the trainer.
    const h = suite.harness({ docker: async () => withTrainMemoryLimit(suite.docker, 1536 * 1024 ** 2) });
    // One more epoch than the other cases: the memory is taken while the second one trains, never after the end.
    const { id } = await h.service.create(faultSettings(suite.seed.dataset, { epochs: FAULT_EPOCHS + 1 }));
    const dashboard = await openDashboard(h, id);
    await pastFirstCheckpoint(h, id);
    const info = await trainContainer(h, id);
    expect((await suite.docker.getContainer(info!.Id).inspect()).HostConfig.Memory).toBe(1536 * 1024 ** 2);
    await exhaustContainerMemory(info!.Id);
    const killed = await h.waitStatus(id, ['failed', 'stopped', 'finished'], 120_000);
    expect(killed).toMatchObject({
      status: 'failed',
      resumable: true,
      failure: {
        cause: 'killed_for_memory',
        message: expect.stringMatching(/ran out of memory \(RAM\)/),
        fix: expect.stringMatching(/close other programs/i),
        action: { settingsPatch: { batchSize: 2 } },
      },
    });
    const state = JSON.parse(fs.readFileSync(path.join(h.paths.runsDir, id, 'state.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'failed', oomKilled: true, exitCode: 137 });

    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS + 1 });
    expectLossWithinBound(path.join(h.paths.runsDir, id), 0);
    await expectNothingDoubled(h, id, dashboard);
  });
});
