/** Switches between English and French; the choice persists (see i18n/index.ts). */
import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const next = i18n.language.startsWith('fr') ? 'en' : 'fr';
  return (
    <Button variant="subtle" size="compact-sm" lang={next} onClick={() => void i18n.changeLanguage(next)} title={t('lang.switchToLabel')}>
      {t('lang.switchTo')}
    </Button>
  );
}
