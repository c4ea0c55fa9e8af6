/** Where the browser lands when single logout at the institution's SAML identity provider did not complete. */
import { Alert, Anchor, Stack, Title } from '@mantine/core';
import { getRouteApi, Link } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import { PublicLayout } from '../../components/PublicLayout.js';

const route = getRouteApi('/signed-out');

/** The Vetted session has ended in every case; the message says what is left to do when the IdP's may not have. */
export function SignedOutPage() {
  const { t } = useTranslation();
  const { slo } = route.useSearch();
  return (
    <PublicLayout>
      <Stack>
        <Title order={1} size="h2">
          {t('identity.signedOut.title')}
        </Title>
        {slo ? (
          <Alert color="orange" variant="light" role="alert" data-testid="slo-message">
            {t(slo === 'failed' ? 'identity.signedOut.failed' : 'identity.signedOut.invalid')}
          </Alert>
        ) : null}
        <Anchor component={Link} to="/sign-in">
          {t('identity.signedOut.signIn')}
        </Anchor>
      </Stack>
    </PublicLayout>
  );
}
