/** Switches between English and French; the choice persists (see i18n/index.ts) and, signed in, on the account. */
import { Button } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Language } from '../i18n/types.js';

export function LanguageSwitch({ onChange }: { /** Called with the new language after switching (to save it on the account). */ onChange?: (language: Language) => void }) {
  const { t, i18n } = useTranslation();
  const next: Language = i18n.language.startsWith('fr') ? 'en' : 'fr';
  const choose = () => {
    void i18n.changeLanguage(next);
    onChange?.(next);
  };
  return (
    <Button variant="subtle" size="compact-sm" lang={next} data-language-name="" onClick={choose} title={t('lang.switchToLabel')}>
      {t('lang.switchTo')}
    </Button>
  );
}
