/** Lets a platform admin choose which institution they act in (PUT /session/institution). */
import { Select } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useTranslation } from 'react-i18next';
import type { SessionBody } from '../../contracts/api.js';
import { institutionsQuery } from '../lib/queries.js';
import { useSwitchInstitution } from '../lib/session.js';

const NONE = '__none__';

export function InstitutionSwitcher({ session }: { session: SessionBody }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const institutions = useQuery(institutionsQuery);
  const switchInstitution = useSwitchInstitution();
  const current = session.institution?.id ?? NONE;
  const data = [
    { value: NONE, label: t('shell.noInstitution') },
    ...(institutions.data ?? []).filter((i) => i.status !== 'purged').map((i) => ({ value: i.id, label: i.name })),
  ];
  if (session.institution && !data.some((d) => d.value === session.institution?.id)) {
    data.push({ value: session.institution.id, label: session.institution.name });
  }
  return (
    <Select
      label={t('shell.institution')}
      size="xs"
      w={260}
      data={data}
      value={current}
      searchable
      allowDeselect={false}
      disabled={switchInstitution.isPending}
      error={switchInstitution.isError ? t('errors.generic') : undefined}
      onChange={(value) => {
        if (!value || value === current) return;
        switchInstitution.mutate(value === NONE ? null : value, {
          onSuccess: () => void navigate({ to: '/' }),
        });
      }}
      comboboxProps={{ withinPortal: true, keepMounted: false }}
    />
  );
}
