/** Create an institution (platform admins) or edit one's name, grade levels and schools. */
import { Button, Fieldset, Group, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { InstitutionBody } from '../../../contracts/api.js';
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
import { fieldsOf } from '../../lib/errors.js';
import { gradeSpan, sortGrades } from '../../lib/grades.js';
import { ChoiceGroup } from '../inventory/ChoiceGroup.js';
import { SchoolsField, type SchoolDraft } from './SchoolsField.js';

interface InstitutionFormProps {
  /** The institution to edit, or null to create one. */
  institution: InstitutionBody | null;
  onSaved: (institution: InstitutionBody) => void;
  onCancel: () => void;
}

const defaultGrades = (country: Country): GradeLevel[] => (country === 'CA' ? gradeSpan('JK', '12') : gradeSpan('K', '12'));

export function InstitutionForm({ institution, onSaved, onCancel }: InstitutionFormProps) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const editing = institution !== null;
  const [name, setName] = useState(institution?.name ?? '');
  const [kind, setKind] = useState<InstitutionKind>(institution?.kind ?? 'district');
  const [country, setCountry] = useState<Country>(institution?.country ?? 'CA');
  const [subdivision, setSubdivision] = useState<string | null>(institution?.subdivision ?? null);
  // The data region follows the country (Canadian data in Canada, US data in the US).
  const region = REGION_OF_COUNTRY[country];
  const [grades, setGrades] = useState<GradeLevel[]>(institution?.gradeLevels ?? defaultGrades('CA'));
  const [schools, setSchools] = useState<SchoolDraft[]>(
    (institution?.schools ?? []).map((s) => ({ id: s.id, key: s.id, name: s.name, gradeFrom: s.gradeFrom, gradeTo: s.gradeTo })),
  );
  const [admin, setAdmin] = useState({ email: '', firstName: '', lastName: '' });

  const save = useMutation({
    mutationFn: () => {
      const common = {
        name: name.trim(),
        gradeLevels: sortGrades(grades),
        schools: schools.map((s) => ({ ...(s.id ? { id: s.id } : {}), name: s.name.trim(), gradeFrom: s.gradeFrom, gradeTo: s.gradeTo })),
      };
      return editing
        ? api<InstitutionBody>(`/institutions/${institution.id}`, { method: 'PATCH', body: common })
        : api<InstitutionBody>('/institutions', {
            method: 'POST',
            body: {
              ...common,
              kind,
              country,
              subdivision: subdivision ?? '',
              region,
              firstSiteAdmin: { email: admin.email.trim(), firstName: admin.firstName.trim(), lastName: admin.lastName.trim() },
            },
          });
    },
    onSuccess: (saved) => {
      void queryClient.invalidateQueries({ queryKey: ['institutions'] });
      onSaved(saved);
    },
  });

  const onCountry = (value: Country) => {
    setCountry(value);
    setSubdivision(null);
    if (!editing) setGrades(defaultGrades(value));
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate();
  };
  const fields = fieldsOf(save.error);
  const subdivisions = country === 'CA' ? CA_PROVINCES : US_STATES;

  return (
    <form onSubmit={onSubmit} noValidate>
      <Stack gap="lg">
        <TextInput
          label={t('institutions.name')}
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          error={fieldError(fields, 'name')}
        />
        {editing ? null : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('institutions.kind')}
              data={INSTITUTION_KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))}
              value={kind}
              onChange={(v) => v && setKind(v as InstitutionKind)}
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
              onChange={setSubdivision}
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
          onChange={(v) => setGrades(sortGrades(v))}
          error={fieldError(fields, 'gradeLevels')}
        />
        <SchoolsField
          value={schools}
          onChange={setSchools}
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
                value={admin.email}
                onChange={(e) => setAdmin({ ...admin, email: e.currentTarget.value })}
                error={fieldError(fields, 'firstSiteAdmin.email')}
              />
              <TextInput
                label={t('institutions.firstName')}
                required
                value={admin.firstName}
                onChange={(e) => setAdmin({ ...admin, firstName: e.currentTarget.value })}
                error={fieldError(fields, 'firstSiteAdmin.firstName')}
              />
              <TextInput
                label={t('institutions.lastName')}
                required
                value={admin.lastName}
                onChange={(e) => setAdmin({ ...admin, lastName: e.currentTarget.value })}
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
