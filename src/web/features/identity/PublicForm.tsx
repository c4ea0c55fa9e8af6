/** The form of a page outside the app (sign-in, two-step, password reset): layout, heading and intro. */
import { Stack, Text, Title } from '@mantine/core';
import type { FormEvent, ReactNode } from 'react';
import { PublicLayout } from '../../components/PublicLayout.js';

export function PublicForm({
  title,
  intro,
  onSubmit,
  children,
}: {
  title: string;
  intro?: string;
  /** The form's submit handler (react-hook-form's `handleSubmit`, which prevents the browser's own). */
  onSubmit: (event: FormEvent) => unknown;
  children: ReactNode;
}) {
  return (
    <PublicLayout>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          void onSubmit(e);
        }}
        noValidate
      >
        <Stack>
          <Title order={1} size="h2">
            {title}
          </Title>
          {intro ? <Text size="sm">{intro}</Text> : null}
          {children}
        </Stack>
      </form>
    </PublicLayout>
  );
}
