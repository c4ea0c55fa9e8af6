/** The signed-in session: a TanStack Query entry (`null` when signed out) and its mutations. */
import { queryOptions, useMutation, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import type { SessionBody } from '../../contracts/api.js';
import { api, ApiError, setCsrfToken } from './api.js';

export const sessionKey = ['session'] as const;

async function fetchSession(): Promise<SessionBody | null> {
  try {
    const session = await api<SessionBody>('/session', { redirectOn401: false });
    setCsrfToken(session.csrfToken);
    return session;
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw err;
  }
}

export const sessionQuery = queryOptions({
  queryKey: sessionKey,
  queryFn: fetchSession,
  staleTime: 60_000,
});

/** The current session (may be null); suspends until known. */
export function useSession(): SessionBody | null {
  return useSuspenseQuery(sessionQuery).data;
}

/** The current session, for pages behind the sign-in guard. */
export function useRequiredSession(): SessionBody {
  const session = useSession();
  if (!session) throw new Error('signed out');
  return session;
}

/** Stores a fresh session body (after sign-in, invitation accept or institution switch). */
export function useStoreSession(): (session: SessionBody | null) => void {
  const queryClient = useQueryClient();
  return (session) => {
    setCsrfToken(session?.csrfToken ?? null);
    // Everything cached belongs to the previous session or institution.
    queryClient.removeQueries({ predicate: (q) => q.queryKey[0] !== sessionKey[0] });
    queryClient.setQueryData(sessionKey, session);
  };
}

export function useSignIn() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<SessionBody>('/session', { method: 'POST', body: input, redirectOn401: false }),
    onSuccess: store,
  });
}

export function useSignOut() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: () => api<{ logoutUrl: string | null } | undefined>('/session', { method: 'DELETE', redirectOn401: false }),
    onSettled: () => store(null),
  });
}

export function useSwitchInstitution() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (institutionId: string | null) => api<SessionBody>('/session/institution', { method: 'PUT', body: { institutionId } }),
    onSuccess: store,
  });
}
