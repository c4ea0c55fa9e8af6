/** `/institutions` (platform admins): every client institution; create, edit, work in one. */
import { Badge, Button, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstitutionBody } from '../../../contracts/api.js';
import { Feedback } from '../../components/Feedback.js';
import { AnchorLink } from '../../components/links.js';
import { ListTable } from '../../components/ListTable.js';
import { InstitutionDomains } from '../identity/SsoDomains.js';
import { offboardingsQuery } from '../lifecycle/api.js';
import { bundleStatusQuery, regionOfCountry } from '../bundle/api.js';
import { OffboardingDialog, PhaseBadge, PhaseDetail } from '../lifecycle/Offboarding.js';
import { WriteArea } from '../lifecycle/ReadOnly.js';
import { NotPermitted } from '../../components/PageState.js';
import { institutionsQuery } from '../../lib/queries.js';
import { useRequiredSession, useSwitchInstitution } from '../../lib/session.js';
import { InstitutionForm } from './InstitutionForm.js';

export function InstitutionsPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  const navigate = useNavigate();
  const institutions = useQuery({ ...institutionsQuery, enabled: session.abilities.manageInstitutions });
  const switchInstitution = useSwitchInstitution();
  const offboardings = useQuery({ ...offboardingsQuery, enabled: session.abilities.manageInstitutions });
  // The region this deployment serves (region cells): named, and any institution of another region flagged.
  const cell = useQuery({ ...bundleStatusQuery, enabled: session.abilities.manageInstitutions, select: (d) => d.region as 'ca' | 'us' });
  const [editing, setEditing] = useState<{ institution: InstitutionBody | null } | null>(null);
  const [offboarding, setOffboarding] = useState<InstitutionBody | null>(null);
  const [domainsOf, setDomainsOf] = useState<InstitutionBody | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  if (!session.abilities.manageInstitutions) return <NotPermitted />;
  const form = (institution: InstitutionBody | null) => (
    <InstitutionForm
      key={institution?.id ?? 'new'}
      institution={institution}
      onCancel={() => setEditing(null)}
      onSaved={(saved) => {
        setMessage(institution ? t('institutions.updated', { name: saved.name }) : t('institutions.created', { name: saved.name }));
        setEditing(null);
      }}
    />
  );
  const offboardingOf = (id: string) => offboardings.data?.find((o) => o.institutionId === id) ?? null;
  const title = editing?.institution ? t('institutions.editTitle', { name: editing.institution.name }) : t('institutions.createTitle');

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>{t('institutions.title')}</Title>
        <Button onClick={() => setEditing({ institution: null })}>{t('institutions.create')}</Button>
      </Group>
      <Feedback error={switchInstitution.error} success={message} />
      {cell.data ? (
        <Text>
          {t('regionCells.deployment', { region: t(`region.${cell.data}`), code: cell.data })}{' '}
          {t('regionCells.byRegion', {
            ca: (institutions.data ?? []).filter((i) => i.region === 'ca').length,
            us: (institutions.data ?? []).filter((i) => i.region === 'us').length,
          })}
        </Text>
      ) : null}
      <ListTable
        query={institutions}
        caption={t('institutions.title')}
        empty={t('institutions.empty')}
        minWidth={800}
        columns={[
          t('institutions.name'),
          t('institutions.kind'),
          t('institutions.location'),
          t('institutions.region'),
          t('institutions.schools'),
          t('lifecycle.offboard.column'),
          { label: t('users.actions'), visuallyHidden: true },
        ]}
      >
        {(items) =>
          items.map((inst) => (
            <Table.Tr key={inst.id}>
              <Table.Th scope="row" fw={500}>
                {inst.name}
                {inst.isDemo ? (
                  <Badge ml="xs" size="xs" variant="outline" color="gray">
                    {t('institutions.demo')}
                  </Badge>
                ) : null}
              </Table.Th>
              <Table.Td>{t(`kind.${inst.kind}`)}</Table.Td>
              <Table.Td>
                {inst.subdivision}, {t(`country.${inst.country}`)}
              </Table.Td>
              <Table.Td>
                {t(`region.${inst.region}`)}
                {regionOfCountry(inst.country) && regionOfCountry(inst.country) !== (cell.data ?? inst.region) ? (
                  <Badge ml="xs" size="sm" color="orange" variant="light" title={t('regionCells.misplacedHint')}>
                    {t('regionCells.misplaced', { region: regionOfCountry(inst.country) })}
                  </Badge>
                ) : null}
              </Table.Td>
              <Table.Td>{t('institutions.schoolCount', { count: inst.schools.length })}</Table.Td>
              <Table.Td>
                <Stack gap={2} align="flex-start">
                  <PhaseBadge offboarding={offboardingOf(inst.id)} />
                  {offboardingOf(inst.id) ? <PhaseDetail offboarding={offboardingOf(inst.id)!} /> : null}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  {/* The server lets an admin change only the institution they work in. */}
                  {session.institution?.id === inst.id ? (
                    <Button
                      size="xs"
                      variant="default"
                      aria-label={t('institutions.editFor', { name: inst.name })}
                      onClick={() => setEditing({ institution: inst })}
                    >
                      {t('institutions.edit')}
                    </Button>
                  ) : null}
                  <Button
                    size="xs"
                    variant="default"
                    aria-label={t('identity.sso.domains.manageFor', { name: inst.name })}
                    onClick={() => setDomainsOf(inst)}
                  >
                    {t('identity.sso.domains.manage')}
                  </Button>
                  <Button
                    size="xs"
                    variant="default"
                    color="red"
                    aria-label={t('lifecycle.offboard.manageFor', { name: inst.name })}
                    onClick={() => setOffboarding(inst)}
                  >
                    {t('lifecycle.offboard.manage')}
                  </Button>
                  {inst.status === 'active' && session.institution?.id !== inst.id ? (
                    <Button
                      size="xs"
                      variant="light"
                      aria-label={t('institutions.actInFor', { name: inst.name })}
                      loading={switchInstitution.isPending && switchInstitution.variables === inst.id}
                      onClick={() => switchInstitution.mutate(inst.id, { onSuccess: () => void navigate({ to: '/' }) })}
                    >
                      {t('institutions.actIn')}
                    </Button>
                  ) : null}
                </Group>
              </Table.Td>
            </Table.Tr>
          ))
        }
      </ListTable>
      <AnchorLink to="/deletion-certificates" size="sm">
        {t('lifecycle.certificates.purgedLink')}
      </AnchorLink>
      <Modal
        opened={offboarding !== null}
        onClose={() => setOffboarding(null)}
        title={offboarding ? t('lifecycle.offboard.title', { name: offboarding.name }) : ''}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {offboarding ? (
          <OffboardingDialog
            institution={offboarding}
            onDone={(m) => {
              setMessage(m);
              setOffboarding(null);
            }}
          />
        ) : null}
      </Modal>
      <Modal
        opened={domainsOf !== null}
        onClose={() => setDomainsOf(null)}
        title={domainsOf ? t('identity.sso.domains.title', { name: domainsOf.name }) : ''}
        size="lg"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {domainsOf ? <InstitutionDomains institutionId={domainsOf.id} /> : null}
      </Modal>
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={title}
        size="xl"
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {editing ? (
          editing.institution ? (
            // Editing is the institution's own data: closed while it is read-only.
            <WriteArea>{form(editing.institution)}</WriteArea>
          ) : (
            form(null)
          )
        ) : null}
      </Modal>
    </Stack>
  );
}
