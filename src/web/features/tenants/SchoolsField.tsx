/** The schools of an institution, each with its grade span; rows can be added and removed. */
import { Button, Fieldset, Group, Stack, TextInput } from '@mantine/core';
import { Controller, useFieldArray, type Control } from 'react-hook-form';
import { useTranslation } from 'react-i18next';
import type { GradeLevel } from '../../../contracts/domain.js';
import { SelectField } from '../../components/SelectField.js';
import { fieldError } from '../../lib/api.js';

export interface SchoolDraft {
  id?: string | undefined;
  /** A stable key for React (ids are absent on new rows). */
  key: string;
  name: string;
  gradeFrom: GradeLevel;
  gradeTo: GradeLevel;
}

/** The part of a form the schools live in. */
export interface SchoolsForm {
  schools: SchoolDraft[];
}

interface SchoolsFieldProps {
  control: Control<SchoolsForm>;
  grades: readonly GradeLevel[];
  fields: Readonly<Record<string, string>>;
}

let nextKey = 0;
export function newSchoolKey(): string {
  nextKey += 1;
  return `new-${nextKey}`;
}

export function SchoolsField({ control, grades, fields }: SchoolsFieldProps) {
  const { t } = useTranslation();
  // Each row keeps its school's id in the form; the array's own row keys go in `key`.
  const { fields: rows, append, remove } = useFieldArray({ control, name: 'schools', keyName: 'key' });
  const gradeOptions = grades.map((g) => ({ value: g, label: t(`grade.${g}`) }));
  const first = grades[0] ?? 'K';
  const last = grades[grades.length - 1] ?? '12';

  return (
    <Fieldset legend={t('institutions.schools')}>
      <Stack gap="sm">
        {rows.map((row, index) => {
          const n = index + 1;
          return (
            <Group key={row.key} align="flex-start" wrap="wrap" gap="sm">
              <Controller
                control={control}
                name={`schools.${index}.name`}
                render={({ field }) => (
                  <TextInput
                    label={t('institutions.schoolNameN', { n })}
                    required
                    {...field}
                    error={fieldError(fields, `schools.${index}.name`)}
                    style={{ flex: '1 1 220px' }}
                  />
                )}
              />
              <SelectField
                control={control}
                name={`schools.${index}.gradeFrom`}
                label={t('institutions.gradeFromN', { n })}
                data={gradeOptions}
                allowDeselect={false}
                error={fieldError(fields, `schools.${index}.gradeFrom`)}
                w={200}
              />
              <SelectField
                control={control}
                name={`schools.${index}.gradeTo`}
                label={t('institutions.gradeToN', { n })}
                data={gradeOptions}
                allowDeselect={false}
                error={fieldError(fields, `schools.${index}.gradeTo`)}
                w={200}
              />
              <Button variant="subtle" color="red" mt={25} onClick={() => remove(index)}>
                {t('institutions.removeSchoolN', { n })}
              </Button>
            </Group>
          );
        })}
        <Group>
          <Button variant="light" onClick={() => append({ key: newSchoolKey(), name: '', gradeFrom: first, gradeTo: last })}>
            {t('institutions.addSchool')}
          </Button>
        </Group>
      </Stack>
    </Fieldset>
  );
}
