/** The list of reports. */
import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { REPORT_IDS } from '../../../contracts/reports.js';
import { AnchorLink } from '../../components/links.js';
import { NotPermitted, PickInstitution } from '../../components/PageState.js';
import { useRequiredSession } from '../../lib/session.js';

export function ReportsPage() {
  const { t } = useTranslation();
  const session = useRequiredSession();
  if (!session.institution) return <PickInstitution title={t('reports.list.title')} />;
  if (session.abilities.manageInstitutions) return <NotPermitted />;
  return (
    <Stack>
      <Title order={1}>{t('reports.list.title')}</Title>
      <Text c="dimmed">{t('reports.list.intro')}</Text>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }} component="ul" style={{ listStyle: 'none', padding: 0 }}>
        {REPORT_IDS.map((id) => (
          <Card component="li" withBorder key={id} padding="md">
            <Stack gap={6}>
              <AnchorLink to="/reports/$reportId" params={{ reportId: id }} fw={600}>
                {t(`reports.titles.${id}`)}
              </AnchorLink>
              <Text size="sm" c="dimmed">
                {t(`reports.descriptions.${id}`)}
              </Text>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
    </Stack>
  );
}
