import { appendLogLines, overlapLength } from '../../../renderer/src/runs/log-merge';
import { logSeverity, parseLogLine, splitMatches } from '../../../renderer/src/runs/log-lines';

describe('log lines', () => {
  it('marks errors and warnings', () => {
    expect(logSeverity('2026-01-01 12:00:00 WARNING class fox has one image')).toBe('warning');
    expect(logSeverity('torch.OutOfMemoryError: CUDA out of memory')).toBe('error');
    expect(logSeverity('Traceback (most recent call last):')).toBe('error');
    expect(logSeverity('epoch 3/10 loss 0.41')).toBe('info');
    expect(logSeverity('warmup_epochs=1')).toBe('info'); // "warmup" is not a warning
  });

  it('splits a train.log record into time, severity and text; the level decides, not the words', () => {
    expect(parseLogLine('2026-11-28 07:29:51,123 ERROR The weights could not be downloaded.')).toEqual({
      time: '07:29:51',
      severity: 'error',
      text: 'The weights could not be downloaded.',
    });
    expect(parseLogLine('07:29:51 WARNING The class fox has a single image')).toMatchObject({
      time: '07:29:51',
      severity: 'warning',
    });
    // An INFO record that mentions failures is not an error.
    expect(parseLogLine('2026-11-28 07:30:00,001 INFO epoch 1/2 done: 0 failed images')).toMatchObject({
      severity: 'info',
      text: 'epoch 1/2 done: 0 failed images',
    });
    expect(parseLogLine('Traceback (most recent call last):')).toEqual({
      time: null,
      severity: 'error',
      text: 'Traceback (most recent call last):',
    });
  });

  it('splits around case-insensitive matches', () => {
    expect(splitMatches('Epoch 1 epoch', 'EPOCH')).toEqual(['', 'Epoch', ' 1 ', 'epoch', '']);
    expect(splitMatches('nothing', '')).toEqual(['nothing']);
  });

  it('finds the overlap between a loaded tail and lines that arrived meanwhile', () => {
    expect(overlapLength(['a', 'b', 'c'], ['b', 'c', 'd'])).toBe(2);
    expect(overlapLength(['a', 'b', 'c'], ['d'])).toBe(0);
    expect(overlapLength(['x', 'x'], ['x', 'x', 'x'])).toBe(2);
    expect(overlapLength([], ['a'])).toBe(0);
  });

  it('appends, keeping only the last lines', () => {
    expect(appendLogLines(['a', 'b'], ['b', 'c'], true, 10)).toEqual({ lines: ['a', 'b', 'c'], added: 1 });
    expect(appendLogLines(['a', 'b'], ['c', 'd'], false, 3)).toEqual({ lines: ['b', 'c', 'd'], added: 2 });
  });
});
