/** Every editable field of an inventory item (shared by the add and edit pages). */
import { Fieldset, Select, Stack, Switch, Textarea, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { InstitutionBody } from '../../../contracts/api.js';
import { AUDIENCES, GRADE_LEVELS, type GradeLevel } from '../../../contracts/domain.js';
import { fieldError } from '../../lib/api.js';
import { sortGrades } from '../../lib/grades.js';
import { AgreementFields } from './AgreementFields.js';
import { ChoiceGroup } from './ChoiceGroup.js';
import { DataElementsField } from './DataElementsField.js';
import { nullIfBlank, type InventoryDraft } from './draft.js';
import { useOwnerOptions } from './useOwnerOptions.js';

interface InventoryFieldsFormProps {
  value: InventoryDraft;
  onChange: (patch: Partial<InventoryDraft>) => void;
  fields: Readonly<Record<string, string>>;
  institution: InstitutionBody | undefined;
  disabled?: boolean | undefined;
}

export function InventoryFieldsForm({ value, onChange, fields, institution, disabled }: InventoryFieldsFormProps) {
  const { t } = useTranslation();
  const owners = useOwnerOptions(value.ownerUserId);
  // The institution's grade levels, plus any the item already has (in case the institution dropped one).
  const gradeSet = new Set<GradeLevel>([...(institution?.gradeLevels ?? GRADE_LEVELS), ...value.grades]);
  const grades = sortGrades([...gradeSet]);
  const schools = institution?.schools ?? [];

  return (
    <Stack gap="lg">
      <Fieldset legend={t('item.usage')} disabled={disabled}>
        <Stack>
          <ChoiceGroup
            label={t('item.grades')}
            options={grades.map((g) => ({ value: g, label: t(`grade.${g}`) }))}
            value={value.grades}
            onChange={(v) => onChange({ grades: sortGrades(v) })}
            error={fieldError(fields, 'grades')}
          />
          {schools.length > 0 ? (
            <ChoiceGroup
              label={t('item.schools')}
              options={schools.map((s) => ({ value: s.id, label: s.name }))}
              value={value.schoolIds}
              onChange={(v) => onChange({ schoolIds: v })}
              error={fieldError(fields, 'schoolIds')}
            />
          ) : null}
          <ChoiceGroup
            label={t('item.audiences')}
            options={AUDIENCES.map((a) => ({ value: a, label: t(`audience.${a}`) }))}
            value={value.audiences}
            onChange={(v) => onChange({ audiences: v })}
            error={fieldError(fields, 'audiences')}
          />
        </Stack>
      </Fieldset>

      <DataElementsField
        value={value.dataElements}
        onChange={(v) => onChange({ dataElements: v })}
        error={fieldError(fields, 'dataElements')}
        disabled={disabled}
      />

      <Textarea
        label={t('item.purpose')}
        autosize
        minRows={2}
        maxLength={2000}
        value={value.purpose}
        onChange={(e) => onChange({ purpose: e.currentTarget.value })}
        error={fieldError(fields, 'purpose')}
        disabled={disabled}
      />
      <Select
        label={t('item.owner')}
        placeholder={t('item.ownerNone')}
        data={owners}
        value={value.ownerUserId}
        onChange={(v) => onChange({ ownerUserId: v })}
        clearable
        searchable
        error={fieldError(fields, 'ownerUserId')}
        disabled={disabled}
      />
      <Textarea
        label={t('item.conditionsOfUse')}
        autosize
        minRows={2}
        maxLength={5000}
        value={value.conditionsOfUse}
        onChange={(e) => onChange({ conditionsOfUse: e.currentTarget.value })}
        error={fieldError(fields, 'conditionsOfUse')}
        disabled={disabled}
      />

      <AgreementFields value={value} onChange={onChange} fields={fields} disabled={disabled} />

      <Fieldset legend={t('item.review')} disabled={disabled}>
        <Stack>
          <TextInput
            type="date"
            label={t('item.nextReviewOn')}
            value={value.nextReviewOn ?? ''}
            onChange={(e) => onChange({ nextReviewOn: nullIfBlank(e.currentTarget.value) })}
            error={fieldError(fields, 'nextReviewOn')}
            maw={260}
          />
          <Textarea
            label={t('item.notes')}
            autosize
            minRows={2}
            maxLength={10000}
            value={value.notes}
            onChange={(e) => onChange({ notes: e.currentTarget.value })}
            error={fieldError(fields, 'notes')}
          />
          <Switch
            label={t('item.isPublic')}
            description={t('item.isPublicHint')}
            checked={value.isPublic}
            onChange={(e) => onChange({ isPublic: e.currentTarget.checked })}
            error={fieldError(fields, 'isPublic')}
          />
        </Stack>
      </Fieldset>
    </Stack>
  );
}
