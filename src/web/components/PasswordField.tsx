/**
 * A password input whose show/hide toggle is named without the word "password", so the field's label
 * stays the only element labelled "Password".
 */
import { PasswordInput, type PasswordInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function PasswordField(props: PasswordInputProps) {
  const { t } = useTranslation();
  return <PasswordInput {...props} visibilityToggleButtonProps={{ 'aria-label': t('common.toggleVisibility') }} />;
}
