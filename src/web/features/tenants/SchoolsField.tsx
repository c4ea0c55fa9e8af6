/** The schools of an institution, each with its grade span; rows can be added and removed. */
import { Button, Fieldset, Group, Select, Stack, TextInput } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { GradeLevel } from '../../../contracts/domain.js';
import { fieldError } from '../../lib/api.js';

export interface SchoolDraft {
  id?: string | undefined;
  /** A stable key for React (ids are absent on new rows). */
  key: string;
  name: string;
  gradeFrom: GradeLevel;
  gradeTo: GradeLevel;
}

interface SchoolsFieldProps {
  value: SchoolDraft[];
  onChange: (value: SchoolDraft[]) => void;
  grades: readonly GradeLevel[];
  fields: Readonly<Record<string, string>>;
}

let nextKey = 0;
export function newSchoolKey(): string {
  nextKey += 1;
  return `new-${nextKey}`;
}

export function SchoolsField({ value, onChange, grades, fields }: SchoolsFieldProps) {
  const { t } = useTranslation();
  const gradeOptions = grades.map((g) => ({ value: g, label: t(`grade.${g}`) }));
  const update = (index: number, patch: Partial<SchoolDraft>) => onChange(value.map((s, i) => (i === index ? { ...s, ...patch } : s)));
  const first = grades[0] ?? 'K';
  const last = grades[grades.length - 1] ?? '12';

  return (
    <Fieldset legend={t('institutions.schools')}>
      <Stack gap="sm">
        {value.map((school, index) => {
          const n = index + 1;
          return (
            <Group key={school.key} align="flex-start" wrap="wrap" gap="sm">
              <TextInput
                label={t('institutions.schoolNameN', { n })}
                required
                value={school.name}
                onChange={(e) => update(index, { name: e.currentTarget.value })}
                error={fieldError(fields, `schools.${index}.name`)}
                style={{ flex: '1 1 220px' }}
              />
              <Select
                label={t('institutions.gradeFromN', { n })}
                data={gradeOptions}
                value={school.gradeFrom}
                onChange={(v) => v && update(index, { gradeFrom: v as GradeLevel })}
                allowDeselect={false}
                error={fieldError(fields, `schools.${index}.gradeFrom`)}
                w={200}
              />
              <Select
                label={t('institutions.gradeToN', { n })}
                data={gradeOptions}
                value={school.gradeTo}
                onChange={(v) => v && update(index, { gradeTo: v as GradeLevel })}
                allowDeselect={false}
                error={fieldError(fields, `schools.${index}.gradeTo`)}
                w={200}
              />
              <Button variant="subtle" color="red" mt={25} onClick={() => onChange(value.filter((_, i) => i !== index))}>
                {t('institutions.removeSchoolN', { n })}
              </Button>
            </Group>
          );
        })}
        <Group>
          <Button variant="light" onClick={() => onChange([...value, { key: newSchoolKey(), name: '', gradeFrom: first, gradeTo: last }])}>
            {t('institutions.addSchool')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
