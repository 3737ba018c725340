import { AppError } from '../contract';

/** A handler for a call whose service is not built yet: a typed, honest error instead of a stub result. */
export function notBuilt(what: string): () => Promise<never> {
  return async () => {
    throw new AppError('not_available', `${what} is not available in this version of DeiT Studio.`, {
      fix: 'Update DeiT Studio to a newer version.',
    });
  };
}
