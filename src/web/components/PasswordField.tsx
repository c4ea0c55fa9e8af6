/**
 * A password input whose show/hide toggle is named without the word "password", so the field's label
 * stays the only element labelled "Password". A field with an error is marked invalid for assistive
 * technology, as text inputs are (the library's password input only marks it for styling).
 */
import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return (
    <PasswordInput
      {...props}
      aria-invalid={props.error ? true : undefined}
      visibilityToggleButtonProps={{ 'aria-label': t('common.toggleVisibility') }}
    />
  );
}
