/** The data elements an app collects: checkboxes grouped by kind, sensitive ones marked. */
import { Checkbox, Fieldset, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { SENSITIVE_DATA_ELEMENTS, type DataElement } from '../../../contracts/domain.js';
import { DATA_ELEMENT_GROUPS } from '../../lib/dataElementGroups.js';

interface DataElementsFieldProps {
  value: readonly DataElement[];
  onChange: (value: DataElement[]) => void;
  error?: string | undefined;
  disabled?: boolean | undefined;
}

export function DataElementsField({ value, onChange, error, disabled }: DataElementsFieldProps) {
  const { t } = useTranslation();
  const selected = new Set<string>(value);
  return (
    <Fieldset legend={t('item.dataElements')} aria-describedby="data-elements-hint" disabled={disabled}>
      <Stack gap="md">
        <Text id="data-elements-hint" size="sm" c="dimmed">
          {t('item.dataElementsHint')}
        </Text>
        {DATA_ELEMENT_GROUPS.map((group) => {
          const inGroup = new Set<string>(group.elements);
          return (
            <Checkbox.Group
              key={group.key}
              label={t(`dataElementGroup.${group.key}`)}
              value={group.elements.filter((e) => selected.has(e))}
              onChange={(groupValue) => onChange([...value.filter((e) => !inGroup.has(e)), ...(groupValue as DataElement[])])}
            >
              <SimpleGrid cols={{ base: 1, xs: 2, md: 3 }} mt="xs" spacing="xs">
                {group.elements.map((code) => {
                  const sensitive = SENSITIVE_DATA_ELEMENTS.has(code);
                  return (
                    <Checkbox
                      key={code}
                      value={code}
                      label={t(`dataElement.${code}`)}
                      description={sensitive ? t('common.sensitive') : undefined}
                      color={sensitive ? 'orange' : undefined}
                      styles={
                        sensitive
                          ? { description: { color: 'color-mix(in srgb, var(--mantine-color-orange-9), black 30%)', fontWeight: 600 } }
                          : undefined
                      }
                    />
                  );
                })}
              </SimpleGrid>
            </Checkbox.Group>
          );
        })}
        {error ? (
          <Text c="red.9" size="sm" role="alert">
            {error}
          </Text>
        ) : null}
      </Stack>
    </Fieldset>
  );
}
