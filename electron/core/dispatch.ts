import { z } from 'zod';
import { AppError, calls, isCallName, toErrorShape, type Handlers, type Result } from '../contract';

/** Turns zod issues into one plain sentence. */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.length ? issue.path.join('.') : 'request'}: ${issue.message}`)
    .join('; ');
}

/**
 * Validates a call's input against the contract, runs the core's handler and maps any failure to a
 * typed error. Both shells route every call through here, so validation happens in one place.
 */
export async function dispatchCall(handlers: Handlers, name: string, input: unknown): Promise<Result<unknown>> {
  if (!isCallName(name)) {
    return { ok: false, error: new AppError('validation', `There is no call named "${name}".`).toShape() };
  }
  const parsed = calls[name].input.safeParse(input ?? {});
  if (!parsed.success) {
    return {
      ok: false,
      error: new AppError('validation', `The request "${name}" was not valid: ${describeIssues(parsed.error)}.`, {
        fix: 'This is a bug in the caller; reload the window and try again.',
      }).toShape(),
    };
  }
  try {
    const handler = handlers[name] as (request: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toErrorShape(error) };
  }
}
