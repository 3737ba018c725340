import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectLossWithinBound, expectNothingDoubled, FAULT_EPOCHS, faultSettings, openDashboard } from './fault-kit';
import { FaultSuite, pastFirstCheckpoint } from './fault-suite';

// Faults of the disk under the run folder while a checkpoint is written: the disk fills up (a small
// tmpfs mounted by the test as the runs folder), and the run folder is made read-only mid-run.
// Each: a failed run whose message names the disk or folder and the fix, the previous checkpoint
// intact (no temp file left), and a resume once the user fixed it that finishes with nothing doubled.
const suite = new FaultSuite('disk');
const mounts: string[] = [];
beforeAll(() => suite.setUp());
afterAll(async () => {
  for (const dir of mounts) execFileSync('umount', ['-l', dir]);
  expect(await suite.tearDown()).toBeNull();
});

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');
const usedBytes = (dir: string) => {
  const s = fs.statfsSync(dir);
  return (s.blocks - s.bfree) * s.bsize;
};

describe('the run folder cannot take a checkpoint', () => {
  it('disk full: failed, naming the full disk and the fix; last.pt untouched; resumes after space is freed', async () => {
    if (process.getuid?.() !== 0)
      throw new Error('The disk-full case mounts a tmpfs: run the fault tests as root (CI does).');
    const dataDir = fs.mkdtempSync(path.join(suite.dir, 'data-'));
    const runsDir = path.join(dataDir, 'runs');
    fs.mkdirSync(runsDir);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512m,mode=0755', 'tmpfs', runsDir]);
    mounts.push(runsDir);
    const h = suite.harness({}, dataDir);
    const { id } = await h.service.create(faultSettings(suite.seed.dataset));
    const dashboard = await openDashboard(h, id);
    const runDir = path.join(runsDir, id);
    await h.waitEvent(id, (e) => e.type === 'checkpoint' && e.kind === 'last', 240_000);
    // Shrink the disk to what is used plus half a best.pt: the next checkpoint (best or last) cannot fit.
    const last = path.join(runDir, 'output', 'checkpoints', 'last.pt');
    const best = path.join(runDir, 'output', 'checkpoints', 'best.pt');
    const lastBefore = sha(last);
    const room = Math.floor(fs.statSync(best).size / 2);
    execFileSync('mount', ['-o', `remount,size=${usedBytes(runsDir) + room}`, runsDir]);

    const failed = await h.waitStatus(id, ['failed', 'stopped', 'finished'], 240_000);
    expect(failed).toMatchObject({ status: 'failed', resumable: true });
    expect(failed.failure!.message).toMatch(/disk holding the run folder is full/);
    expect(failed.failure!.message).toMatch(/checkpoints\/(last|best)\.pt could not be saved/);
    expect(failed.failure!.fix).toMatch(/Free some space on that disk, then resume the run/);
    expect(sha(last)).toBe(lastBefore); // the previous checkpoint, whole
    expect(fs.readdirSync(path.join(runDir, 'output', 'checkpoints')).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    execFileSync('mount', ['-o', 'remount,size=512m', runsDir]); // the user frees space
    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS });
    expectLossWithinBound(runDir, 0);
    await expectNothingDoubled(h, id, dashboard);
  });

  it('run folder made read-only: failed, saying it cannot be written and how to fix; resumes once writable', async () => {
    const h = suite.harness();
    const { id } = await h.service.create(faultSettings(suite.seed.dataset));
    const dashboard = await openDashboard(h, id);
    const runDir = path.join(h.paths.runsDir, id);
    await pastFirstCheckpoint(h, id);
    const last = path.join(runDir, 'output', 'checkpoints', 'last.pt');
    const lastBefore = sha(last);
    // The container runs as the test's uid with no capabilities: even root cannot write past the mode bits.
    execFileSync('chmod', ['-R', 'a-w', runDir]);
    let failed;
    try {
      failed = await h.waitStatus(id, ['failed', 'stopped', 'finished'], 240_000);
    } finally {
      execFileSync('chmod', ['-R', 'u+w', runDir]); // the user makes it writable again
    }
    expect(failed).toMatchObject({ status: 'failed', resumable: true });
    expect(failed.failure!.message).toMatch(/run folder cannot be written/);
    expect(failed.failure!.fix).toMatch(/Make the run folder writable again.*resume the run/);
    expect(sha(last)).toBe(lastBefore);

    const since = h.updates.length;
    await h.service.resume(id);
    const done = await h.waitStatus(id, ['finished', 'failed', 'stopped'], 300_000, since);
    expect(done).toMatchObject({ status: 'finished', failure: null, epochsDone: FAULT_EPOCHS });
    expectLossWithinBound(runDir, 0);
    await expectNothingDoubled(h, id, dashboard);
  });
});
