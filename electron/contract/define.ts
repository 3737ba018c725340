import type { z } from 'zod';

/** One request → response call of the API. */
export interface CallSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  /** One line for docs/api-contract.md and error messages. */
  summary: string;
}

/** Declares a call; used by the domain files so that each call is written once. */
export function call<I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): CallSpec<I, O> {
  return { input, output, summary };
}

/** One event stream the UI can subscribe to. */
export interface EventSpec<P extends z.ZodType = z.ZodType> {
  payload: P;
  summary: string;
}

/** Declares an event stream. */
export function event<P extends z.ZodType>(payload: P, summary: string): EventSpec<P> {
  return { payload, summary };
}
