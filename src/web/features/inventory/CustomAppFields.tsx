/** Name, vendor and website of a custom (not catalogued) app. */
import { SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { fieldError } from '../../lib/api.js';
import type { CustomDraft } from './draft.js';

interface CustomAppFieldsProps {
  value: CustomDraft;
  onChange: (patch: Partial<CustomDraft>) => void;
  fields: Readonly<Record<string, string>>;
  disabled?: boolean | undefined;
}

export function CustomAppFields({ value, onChange, fields, disabled }: CustomAppFieldsProps) {
  const { t } = useTranslation();
  return (
    <SimpleGrid cols={{ base: 1, sm: 3 }}>
      <TextInput
        label={t('item.appName')}
        required
        maxLength={200}
        value={value.name}
        onChange={(e) => onChange({ name: e.currentTarget.value })}
        error={fieldError(fields, 'custom.name')}
        disabled={disabled}
      />
      <TextInput
        label={t('item.vendor')}
        maxLength={200}
        value={value.vendor}
        onChange={(e) => onChange({ vendor: e.currentTarget.value })}
        error={fieldError(fields, 'custom.vendor')}
        disabled={disabled}
      />
      <TextInput
        label={t('item.website')}
        type="url"
        placeholder="https://"
        value={value.website}
        onChange={(e) => onChange({ website: e.currentTarget.value })}
        error={fieldError(fields, 'custom.website')}
        disabled={disabled}
      />
    </SimpleGrid>
  );
}
