/** API calls of sign-in, two-step verification, account security and single sign-on settings. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { SessionBody } from '../../../contracts/api.js';
import type {
  accountSecuritySchema,
  AuthPolicyBody,
  mfaEnrolmentSchema,
  sessionListSchema,
  ssoConnectionCreateSchema,
  SsoConnectionBody,
  ssoDiscoverSchema,
} from '../../../contracts/auth.js';
import { api, toQueryString } from '../../lib/api.js';
import { useStoreSession } from '../../lib/session.js';
import { useReauthenticated } from './reauth-context.js';

export type MfaStep = 'verify' | 'enrol';
export type SignInResult = SessionBody | { mfa: MfaStep };
export type Enrolment = z.infer<typeof mfaEnrolmentSchema>;
export type AccountSecurity = z.infer<typeof accountSecuritySchema>;
export type SessionItem = z.infer<typeof sessionListSchema>['items'][number];
export type SsoButton = z.infer<typeof ssoDiscoverSchema>['items'][number];
export type ConnectionInput = z.input<typeof ssoConnectionCreateSchema>;

export const isSession = (r: SignInResult): r is SessionBody => 'user' in r;

/** Sign-in with a password: stores the session, or reports the second step to take. */
export function usePasswordSignIn() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) =>
      api<SignInResult>('/session', { method: 'POST', body: input, redirectOn401: false }),
    onSuccess: (result) => {
      if (isSession(result)) store(result);
    },
  });
}

export function useMfaVerify() {
  const store = useStoreSession();
  return useMutation({
    mutationFn: (code: string) => api<SessionBody>('/session/mfa', { method: 'POST', body: { code }, redirectOn401: false }),
    onSuccess: store,
  });
}

export function useChallengeEnrolment() {
  return useMutation({ mutationFn: () => api<Enrolment>('/session/mfa/enrolment', { method: 'POST', redirectOn401: false }) });
}

/** Confirms the first code of a required enrolment; the session is stored once the codes are saved. */
export function useChallengeEnrolmentConfirm() {
  return useMutation({
    mutationFn: (code: string) =>
      api<{ session: SessionBody; recoveryCodes: string[] }>('/session/mfa/enrolment/confirm', {
        method: 'POST',
        body: { code },
        redirectOn401: false,
      }),
  });
}

/** The single sign-on buttons for an email's domain. */
export function useSsoDiscovery(email: string) {
  const domain = /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email) ? email.split('@')[1]!.toLowerCase() : '';
  return useQuery({
    queryKey: ['sso-discover', domain],
    queryFn: () => api<{ items: SsoButton[] }>(`/sso/discover${toQueryString({ email: `someone@${domain}` })}`, { redirectOn401: false }),
    enabled: domain !== '',
    staleTime: 60_000,
  });
}

export const accountSecurityKey = ['account-security'] as const;
export const accountSessionsKey = ['account-sessions'] as const;

export function useAccountSecurity() {
  return useQuery({ queryKey: accountSecurityKey, queryFn: () => api<AccountSecurity>('/account/security') });
}

export function useAccountSessions() {
  return useQuery({ queryKey: accountSessionsKey, queryFn: () => api<{ items: SessionItem[] }>('/account/sessions') });
}

/** A mutation that asks for re-authentication when the API needs it, and refreshes the account page's data when it succeeds. */
export function useAccountMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  const withReauth = useReauthenticated(fn);
  return useMutation({
    mutationFn: withReauth,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: accountSecurityKey });
      void queryClient.invalidateQueries({ queryKey: accountSessionsKey });
    },
  });
}

export const ssoConnectionsKey = ['sso-connections'] as const;
export const ssoPolicyKey = ['sso-policy'] as const;

export function useSsoConnections() {
  return useQuery({ queryKey: ssoConnectionsKey, queryFn: () => api<{ items: SsoConnectionBody[] }>('/sso/connections') });
}

export function useSsoPolicy() {
  return useQuery({ queryKey: ssoPolicyKey, queryFn: () => api<AuthPolicyBody>('/sso/policy') });
}

export function useSsoMutation<I, O>(fn: (input: I) => Promise<O>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ssoConnectionsKey });
      void queryClient.invalidateQueries({ queryKey: ssoPolicyKey });
    },
  });
}
