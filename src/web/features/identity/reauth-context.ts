/** The re-authentication dialog's context (Reauth.tsx), and the wrapper that uses it. */
import { createContext, useContext } from 'react';
import { ApiError } from '../../lib/api.js';

/** Opens the dialog; resolves once the person re-authenticated, rejects if they cancel. */
export type Ask = () => Promise<void>;
export const ReauthContext = createContext<Ask | null>(null);

export const isReauthRequired = (e: unknown) => e instanceof ApiError && e.code === 'reauthentication_required';

/** Wraps an API call: when it needs a recent sign-in, asks for one and tries once more (the first refusal stands if cancelled). */
export function useReauthenticated<I, O>(fn: (input: I) => Promise<O>): (input: I) => Promise<O> {
  const ask = useContext(ReauthContext);
  return async (input) => {
    try {
      return await fn(input);
    } catch (err) {
      if (!ask || !isReauthRequired(err)) throw err;
      await ask().catch(() => {
        throw err;
      });
      return fn(input);
    }
  };
}
