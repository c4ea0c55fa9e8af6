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
  /** Called on submit (the browser's own submission is prevented; fields are checked by the API). */
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <PublicLayout>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          onSubmit();
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
