import { describe, expect, it } from 'vitest';
import { AppError, type Handlers } from '../../electron/contract';
import { dispatchCall } from '../../electron/core/dispatch';

const handlers = {
  'app.info': async () => {
    throw new AppError('busy', 'Busy now.', { fix: 'Wait.' });
  },
  'runs.log': async (request: { id: string; limit: number }) => ({ lines: [request.id], total: request.limit }),
} as unknown as Handlers;

describe('dispatchCall', () => {
  it('rejects an unknown call with a typed validation error', async () => {
    const result = await dispatchCall(handlers, 'nope.nothing', {});
    expect(result).toMatchObject({ ok: false, error: { kind: 'validation' } });
  });

  it('rejects malformed input before the handler runs, naming the field', async () => {
    const result = await dispatchCall(handlers, 'runs.log', { id: '../etc' });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('validation');
      expect(result.error.message).toContain('id');
    }
  });

  it('fills defaults from the contract and returns the value', async () => {
    const result = await dispatchCall(handlers, 'runs.log', { id: 'run-1' });
    expect(result).toEqual({ ok: true, value: { lines: ['run-1'], total: 500 } });
  });

  it('passes typed errors through with message and fix, never a stack', async () => {
    const result = await dispatchCall(handlers, 'app.info', {});
    expect(result).toEqual({ ok: false, error: { kind: 'busy', message: 'Busy now.', fix: 'Wait.' } });
  });
});
