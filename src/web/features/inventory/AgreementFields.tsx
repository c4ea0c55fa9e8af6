/** The data-processing agreement of an inventory item: type, signed, dates, link. */
import { Checkbox, Fieldset, Select, SimpleGrid, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AGREEMENT_TYPES, type AgreementType } from '../../../contracts/domain.js';
import { fieldError } from '../../lib/api.js';
import { nullIfBlank, type InventoryDraft } from './draft.js';

interface AgreementFieldsProps {
  value: InventoryDraft;
  onChange: (patch: Partial<InventoryDraft>) => void;
  fields: Readonly<Record<string, string>>;
  disabled?: boolean | undefined;
}

export function AgreementFields({ value, onChange, fields, disabled }: AgreementFieldsProps) {
  const { t } = useTranslation();
  return (
    <Fieldset legend={t('item.agreement')} disabled={disabled}>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label={t('item.agreementType')}
          data={AGREEMENT_TYPES.map((a) => ({ value: a, label: t(`agreementType.${a}`) }))}
          value={value.agreementType}
          onChange={(v) => onChange({ agreementType: (v ?? 'none') as AgreementType })}
          allowDeselect={false}
          error={fieldError(fields, 'agreementType')}
          disabled={disabled}
        />
        <Checkbox
          mt={{ sm: 30 }}
          label={t('item.agreementSigned')}
          checked={value.agreementSigned}
          onChange={(e) => onChange({ agreementSigned: e.currentTarget.checked })}
          error={fieldError(fields, 'agreementSigned')}
        />
        <TextInput
          type="date"
          label={t('item.agreementSignedOn')}
          value={value.agreementSignedOn ?? ''}
          onChange={(e) => onChange({ agreementSignedOn: nullIfBlank(e.currentTarget.value) })}
          error={fieldError(fields, 'agreementSignedOn')}
        />
        <TextInput
          type="date"
          label={t('item.agreementExpiresOn')}
          value={value.agreementExpiresOn ?? ''}
          onChange={(e) => onChange({ agreementExpiresOn: nullIfBlank(e.currentTarget.value) })}
          error={fieldError(fields, 'agreementExpiresOn')}
        />
      </SimpleGrid>
      <TextInput
        mt="sm"
        type="url"
        label={t('item.agreementUrl')}
        placeholder="https://"
        value={value.agreementUrl ?? ''}
        onChange={(e) => onChange({ agreementUrl: e.currentTarget.value === '' ? null : e.currentTarget.value })}
        onBlur={(e) => onChange({ agreementUrl: nullIfBlank(e.currentTarget.value) })}
        error={fieldError(fields, 'agreementUrl')}
      />
    </Fieldset>
  );
}
