import { requestChartDraw } from '../../../renderer/src/charts/draw-scheduler';

const frame = () => new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));

describe('requestChartDraw', () => {
  it('runs one redraw per animation frame, oldest first', async () => {
    const order: string[] = [];
    requestChartDraw(() => order.push('loss'));
    requestChartDraw(() => order.push('lr'));
    requestChartDraw(() => order.push('gpu'));
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
    const cancel = requestChartDraw(() => done.push('gone'));
    requestChartDraw(() => done.push('kept'));
    cancel();
    await frame();
    await frame();
    expect(done).toEqual(['kept']);
  });
});
