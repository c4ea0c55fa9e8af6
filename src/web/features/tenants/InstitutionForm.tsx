/** Create an institution (platform admins) or edit one's name, grade levels and schools. */
import { Button, Fieldset, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { Control } from 'react-hook-form';
import type { z } from 'zod';
import { useTranslation } from 'react-i18next';
import { institutionCreateSchema, institutionUpdateSchema, type InstitutionBody } from '../../../contracts/api.js';
import {
  CA_PROVINCES,
  GRADE_LEVELS,
  INSTITUTION_KINDS,
  REGION_OF_COUNTRY,
  US_STATES,
  type Country,
  type GradeLevel,
  type InstitutionKind,
} from '../../../contracts/domain.js';
import { Feedback } from '../../components/Feedback.js';
import { api, fieldError } from '../../lib/api.js';
import { draftOn, flatErrors, patchValues, setServerErrors, useContractForm } from '../../lib/form.js';
import { gradeSpan, sortGrades } from '../../lib/grades.js';
import { ChoiceGroup } from '../inventory/ChoiceGroup.js';
import { SchoolsField, type SchoolsForm } from './SchoolsField.js';

interface InstitutionFormProps {
  /** The institution to edit, or null to create one. */
  institution: InstitutionBody | null;
  onSaved: (institution: InstitutionBody) => void;
  onCancel: () => void;
}

const defaultGrades = (country: Country): GradeLevel[] => (country === 'CA' ? gradeSpan('JK', '12') : gradeSpan('K', '12'));

interface InstitutionDraft extends SchoolsForm {
  name: string;
  kind: InstitutionKind;
  country: Country;
  subdivision: string | null;
  gradeLevels: GradeLevel[];
  firstSiteAdmin: { email: string; firstName: string; lastName: string };
}

function draftOf(institution: InstitutionBody | null): InstitutionDraft {
  return {
    name: institution?.name ?? '',
    kind: institution?.kind ?? 'district',
    country: institution?.country ?? 'CA',
    subdivision: institution?.subdivision ?? null,
    gradeLevels: institution?.gradeLevels ?? defaultGrades('CA'),
    schools: (institution?.schools ?? []).map((s) => ({ id: s.id, key: s.id, name: s.name, gradeFrom: s.gradeFrom, gradeTo: s.gradeTo })),
    firstSiteAdmin: { email: '', firstName: '', lastName: '' },
  };
}

/** What an edit sends: the name, grade levels and schools (each school's id kept). */
function updateOf(draft: InstitutionDraft) {
  return {
    name: draft.name,
    gradeLevels: sortGrades(draft.gradeLevels),
    schools: draft.schools.map((s) => ({ ...(s.id ? { id: s.id } : {}), name: s.name, gradeFrom: s.gradeFrom, gradeTo: s.gradeTo })),
  };
}

/** A new institution: its data region follows the country (Canadian data in Canada, US data in the US). */
function createOf(draft: InstitutionDraft) {
  return {
    ...updateOf(draft),
    kind: draft.kind,
    country: draft.country,
    subdivision: draft.subdivision ?? '',
    region: REGION_OF_COUNTRY[draft.country],
    firstSiteAdmin: { ...draft.firstSiteAdmin, email: draft.firstSiteAdmin.email.trim() },
  };
}

const createDraft = draftOn(institutionCreateSchema, createOf);
// One form for both: a new institution's body, or an edit's (the fields an edit sends are a part of it).
const updateDraft = draftOn(institutionUpdateSchema, updateOf) as z.ZodType<z.output<typeof institutionUpdateSchema>, InstitutionDraft>;
type InstitutionSave = z.output<typeof institutionCreateSchema> | z.output<typeof institutionUpdateSchema>;
const institutionDraft = (editing: boolean): z.ZodType<InstitutionSave, InstitutionDraft> => (editing ? updateDraft : createDraft);

export function InstitutionForm({ institution, onSaved, onCancel }: InstitutionFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const editing = institution !== null;
  const form = useContractForm(institutionDraft(editing), { defaultValues: draftOf(institution) });
  const { kind, country, subdivision, gradeLevels: grades } = form.watch();
  const set = (patch: Partial<InstitutionDraft>) => patchValues(form, patch);
  const region = REGION_OF_COUNTRY[country];

  const save = useMutation({
    mutationFn: (body: InstitutionSave) =>
      editing
        ? api<InstitutionBody>(`/institutions/${institution.id}`, { method: 'PATCH', body })
        : api<InstitutionBody>('/institutions', { method: 'POST', body }),
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['institutions'] });
      onSaved(saved);
    },
    onError: (error) => setServerErrors(form, error),
  });

  const onCountry = (value: Country) =>
    set({ country: value, subdivision: null, ...(editing ? {} : { gradeLevels: defaultGrades(value) }) });
  const onSubmit = form.handleSubmit((body) => save.mutate(body));
  const fields = flatErrors(form.formState.errors);
  const subdivisions = country === 'CA' ? CA_PROVINCES : US_STATES;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        <TextInput label={t('institutions.name')} required {...form.register('name')} error={fieldError(fields, 'name')} />
        {editing ? null : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('institutions.kind')}
              data={INSTITUTION_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
              value={kind}
              onChange={(v) => v && set({ kind: v as InstitutionKind })}
              allowDeselect={false}
              error={fieldError(fields, 'kind')}
            />
            <Select
              label={t('institutions.country')}
              data={(['CA', 'US'] as const).map((c) => ({ value: c, label: t(`country.${c}`) }))}
              value={country}
              onChange={(v) => v && onCountry(v as Country)}
              allowDeselect={false}
              error={fieldError(fields, 'country')}
            />
            <Select
              label={country === 'CA' ? t('institutions.province') : t('institutions.state')}
              data={[...subdivisions]}
              value={subdivision}
              onChange={(v) => set({ subdivision: v })}
              searchable
              required
              error={fieldError(fields, 'subdivision')}
            />
            <TextInput
              label={t('institutions.region')}
              description={t('institutions.regionHint')}
              value={t(`region.${region}`)}
              readOnly
              error={fieldError(fields, 'region')}
            />
          </SimpleGrid>
        )}
        <ChoiceGroup
          label={t('institutions.gradeLevels')}
          options={GRADE_LEVELS.map((g) => ({ value: g, label: t(`grade.${g}`) }))}
          value={grades}
          onChange={(v) => set({ gradeLevels: sortGrades(v) })}
          error={fieldError(fields, 'gradeLevels')}
        />
        <SchoolsField
          control={form.control as unknown as Control<SchoolsForm>}
          grades={sortGrades(grades.length ? grades : [...GRADE_LEVELS])}
          fields={fields}
        />
        {editing ? null : (
          <Fieldset legend={t('institutions.firstSiteAdmin')}>
            <Text size="sm" c="dimmed" mb="sm">
              {t('institutions.firstSiteAdminHint')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 3 }}>
              <TextInput
                label={t('institutions.email')}
                type="email"
                required
                {...form.register('firstSiteAdmin.email')}
                error={fieldError(fields, 'firstSiteAdmin.email')}
              />
              <TextInput
                label={t('institutions.firstName')}
                required
                {...form.register('firstSiteAdmin.firstName')}
                error={fieldError(fields, 'firstSiteAdmin.firstName')}
              />
              <TextInput
                label={t('institutions.lastName')}
                required
                {...form.register('firstSiteAdmin.lastName')}
                error={fieldError(fields, 'firstSiteAdmin.lastName')}
              />
            </SimpleGrid>
          </Fieldset>
        )}
        <Feedback error={save.error} />
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('common.save')}
          </Button>
          <Button variant="default" onClick={onCancel}>
            {t('common.cancel')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
