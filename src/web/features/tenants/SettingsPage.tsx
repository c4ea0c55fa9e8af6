/** `/settings` (site admins): the institution's name, grade levels and schools, its decision rules, its public list, and the operator's support access. */
import { Paper, Stack, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert, Feedback } from '../../components/Feedback.js';
import { Loading, NotPermitted, PickInstitution } from '../../components/PageState.js';
import { OffboardingRequest } from '../lifecycle/Offboarding.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';
import { sessionKey, useRequiredSession } from '../../lib/session.js';
import { useCurrentInstitution } from '../../lib/useInstitution.js';
import { RequestLinkSettings } from '../requests/RequestLinkSettings.js';
import { PublicListSettings } from '../public/PublicListSettings.js';
import { InstitutionForm } from './InstitutionForm.js';
import { DecisionRules } from './DecisionRules.js';
import { SupportAccess } from './SupportAccess.js';

export function SettingsPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { institution, isPending, error } = useCurrentInstitution();
  const [message, setMessage] = useState<string | null>(null);
  const [formKey, setFormKey] = useState(0);

  if (!session.institution) return <PickInstitution title={t('settings.title')} />;
  if (!session.abilities.manageUsers) return <NotPermitted />;
  return (
    <Stack>
      <Title order={1}>{t('settings.title')}</Title>
      <Text c="dimmed">{t('settings.intro')}</Text>
      <Feedback success={message} />
      {isPending ? (
        <Loading />
      ) : !institution ? (
        <ErrorAlert error={error} />
      ) : (
        <>
          <Paper withBorder p="md">
            <WriteArea>
              <InstitutionForm
                key={`${institution.id}-${formKey}`}
                institution={institution}
                onSaved={(saved) => {
                  queryClient.setQueryData(['institutions', saved.id], saved);
                  void queryClient.invalidateQueries({ queryKey: sessionKey });
                  setMessage(t('settings.saved'));
                  setFormKey((k) => k + 1);
                }}
                onCancel={() => void navigate({ to: '/' })}
              />
            </WriteArea>
          </Paper>
          {session.abilities.manageInstitutions ? null : (
            <WriteArea>
              <DecisionRules key={`rules-${institution.id}-${institution.updatedAt}`} institution={institution} />
            </WriteArea>
          )}
          <WriteArea>
            <PublicListSettings key={`public-${institution.id}`} institution={institution} />
          </WriteArea>
          {session.abilities.manageInstitutions ? null : (
            <WriteArea>
              <RequestLinkSettings key={`requests-${institution.id}`} />
            </WriteArea>
          )}
          <SupportAccess />
        </>
      )}
      {/* The end of service is the institution's own request; platform admins set it from the institutions list. */}
      {session.abilities.manageInstitutions ? null : <OffboardingRequest institutionId={session.institution.id} />}
    </Stack>
  );
}
