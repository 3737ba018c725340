import { queueFrameJob } from '../../../renderer/src/charts/frame-queue';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

describe('queueFrameJob', () => {
  it('runs one redraw per animation frame, oldest first', async () => {
    const order: string[] = [];
    queueFrameJob(() => order.push('loss'));
    queueFrameJob(() => order.push('lr'));
    queueFrameJob(() => order.push('gpu'));
    expect(order).toEqual([]);
    await frame();
    expect(order).toEqual(['loss']);
    await frame();
    expect(order).toEqual(['loss', 'lr']);
    await frame();
    expect(order).toEqual(['loss', 'lr', 'gpu']);
  });

  it('drops a redraw that was cancelled (an unmounted chart)', async () => {
    const done: string[] = [];
    const cancel = queueFrameJob(() => done.push('gone'));
    queueFrameJob(() => done.push('kept'));
    cancel();
    await frame();
    await frame();
    expect(done).toEqual(['kept']);
  });
});
