/** A single-choice select whose value is a field of a react-hook-form form. */
import { Select, type SelectProps } from '@mantine/core';
import { Controller, type Control, type FieldPath, type FieldValues } from 'react-hook-form';

interface SelectFieldProps<T extends FieldValues, O> extends Omit<SelectProps, 'value' | 'onChange' | 'onBlur' | 'name'> {
  control: Control<T, unknown, O>;
  name: FieldPath<T>;
}

/** The choice is the field's value (none chosen: ''); a select that cannot be cleared keeps its choice. */
export function SelectField<T extends FieldValues, O>({ control, name, ...props }: SelectFieldProps<T, O>) {
  return (
    <Controller
      control={control}
      name={name}
      render={({ field }) => (
        <Select
          {...props}
          ref={field.ref}
          value={typeof field.value === 'string' && field.value !== '' ? field.value : null}
          onChange={(value) => {
            if (value !== null || props.allowDeselect !== false) field.onChange(value ?? '');
          }}
          onBlur={field.onBlur}
        />
      )}
    />
  );
}
