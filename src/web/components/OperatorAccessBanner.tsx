/** Tells a platform admin inside an institution what they may do there (ADR 0007): onboarding, read-only support, or nothing. */
import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useSession } from '../lib/session.js';

export function OperatorAccessBanner() {
  const { t } = useTranslation();
  const session = useSession();
  if (!session?.institution || !session.abilities.manageInstitutions) return null;
  const mode = session.operatorAccess ?? 'none';
  return (
    <Alert mb="md" color={mode === 'none' ? 'gray' : mode === 'support' ? 'orange' : 'blue'} title={t(`shell.operatorAccess.${mode}.title`)} role="status">
      {t(`shell.operatorAccess.${mode}.body`)}
    </Alert>
  );
}
