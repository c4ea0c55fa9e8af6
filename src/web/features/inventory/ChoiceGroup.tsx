/** A labelled group of checkboxes (a fieldset with a legend), for grades, schools and audiences. */
import { Checkbox, Group } from '@mantine/core';

interface ChoiceGroupProps<V extends string> {
  label: string;
  options: readonly { value: V; label: string }[];
  value: readonly V[];
  onChange: (value: V[]) => void;
  error?: string | undefined;
  disabled?: boolean | undefined;
  description?: string | undefined;
}

export function ChoiceGroup<V extends string>({ label, options, value, onChange, error, disabled, description }: ChoiceGroupProps<V>) {
  return (
    <Checkbox.Group
      label={label}
      description={description}
      value={[...value]}
      onChange={(v) => onChange(v as V[])}
      error={error}
      readOnly={disabled}
    >
      <Group mt="xs" gap="md">
        {options.map((o) => (
          <Checkbox key={o.value} value={o.value} label={o.label} disabled={disabled} />
        ))}
      </Group>
    </Checkbox.Group>
  );
}
