/** Sign in with email and password. */
import { Button, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Feedback } from '../components/Feedback.js';
import { PublicLayout } from '../components/PublicLayout.js';
import { ApiError, fieldError } from '../lib/api.js';
import { sessionQuery, useSignIn } from '../lib/session.js';

const route = getRouteApi('/sign-in');

export function SignInPage() {
  const { t } = useTranslation();
  const { redirect } = route.useSearch();
  const navigate = useNavigate();
  const session = useQuery(sessionQuery);
  const signIn = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const signedIn = Boolean(session.data) && !signIn.isPending;
  useEffect(() => {
    if (signedIn) void (redirect ? navigate({ href: redirect, replace: true }) : navigate({ to: '/', replace: true }));
  }, [signedIn, redirect, navigate]);
  if (signedIn) return null;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    // On success the stored session makes the effect above leave this page.
    signIn.mutate({ email: email.trim(), password });
  };

  const error = signIn.error;
  const wrong = error instanceof ApiError && error.status === 401;
  const fields = error instanceof ApiError ? error.fields : undefined;

  return (
    <PublicLayout>
      <form onSubmit={onSubmit} noValidate>
        <Stack>
          <Title order={1} size="h2">
            {t('signIn.title')}
          </Title>
          <Text c="dimmed" size="sm">
            {t('signIn.intro')}
          </Text>
          <TextInput
            label={t('signIn.email')}
            type="email"
            autoComplete="username"
            required
            value={email}
            onChange={(e) => setEmail(e.currentTarget.value)}
            error={fieldError(fields, 'email')}
          />
          <PasswordInput
            label={t('signIn.password')}
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.currentTarget.value)}
            error={fieldError(fields, 'password')}
          />
          <div role="alert" aria-live="assertive">
            {wrong ? (
              <Text c="red.8" size="sm">
                {t('signIn.wrongCredentials')}
              </Text>
            ) : null}
          </div>
          {error && !wrong ? <Feedback error={error} /> : null}
          <Button type="submit" loading={signIn.isPending}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </form>
    </PublicLayout>
  );
}
