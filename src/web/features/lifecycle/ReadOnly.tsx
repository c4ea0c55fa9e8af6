/**
 * The read-only grace period in the web client: from its end of service until its purge an
 * institution can be read and exported but not changed. A banner on every page says so, with the
 * purge date and the way to export everything; `WriteArea` disables the write controls inside it
 * (the server refuses the changes anyway).
 */
import { Alert, Anchor, Fieldset, Group, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/links.js';
import { API_BASE } from '../../lib/api.js';
import { useFormat } from '../../lib/format.js';
import { useSession } from '../../lib/session.js';

/** The read-only period of the institution the user works in, or null. */
export function useReadOnly(): { since: string; purgeAfter: string } | null {
  return useSession()?.institution?.readOnly ?? null;
}

/** Disables every button, field and choice inside it while the institution is read-only. */
export function WriteArea({ children }: { children: ReactNode }) {
  const readOnly = useReadOnly();
  return (
    <Fieldset variant="unstyled" disabled={readOnly !== null} p={0} m={0} miw={0}>
      {children}
    </Fieldset>
  );
}

export function ReadOnlyBanner() {
  const { t } = useTranslation();
  const format = useFormat();
  const session = useSession();
  const readOnly = useReadOnly();
  if (!session || !readOnly) return null;
  const siteAdmin = session.abilities.manageUsers && !session.abilities.manageInstitutions;
  return (
    <section aria-label={t('lifecycle.banner.label')}>
      <Alert color="orange" variant="outline" title={t('lifecycle.banner.title')} mb="md" data-testid="read-only-banner">
        <Text size="sm">
          {t('lifecycle.banner.body', { since: format.date(readOnly.since), purgeAfter: format.date(readOnly.purgeAfter) })}
        </Text>
        <Group gap="lg" mt="xs">
          {siteAdmin ? (
            <>
              <AnchorLink to="/exports" size="sm" fw={600}>
                {t('lifecycle.banner.exportFull')}
              </AnchorLink>
              <Anchor href={`${API_BASE}/institution/archive`} download size="sm" fw={600}>
                {t('lifecycle.banner.exportArchive')}
              </Anchor>
            </>
          ) : (
            <Text size="sm">{t('lifecycle.banner.askAdmin')}</Text>
          )}
          <AnchorLink to="/me" size="sm">
            {t('lifecycle.banner.myData')}
          </AnchorLink>
        </Group>
      </Alert>
    </section>
  );
}
