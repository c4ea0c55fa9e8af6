/** The fields the identity forms share: the sign-in email and the one-time code of an authenticator. */
import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type FieldProps = Omit<TextInputProps, 'label' | 'value' | 'onChange'> & { value: string; onChange: (value: string) => void };

/** The email an account signs in with (password managers fill it as the user name). */
export function SignInEmailField({ value, onChange, ...rest }: FieldProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('identity.signIn.email')}
      type="email"
      autoComplete="username"
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      {...rest}
    />
  );
}

/** A code from an authenticator app, or a recovery code where the form takes one. */
export function OneTimeCodeField({ value, onChange, ...rest }: FieldProps) {
  const { t } = useTranslation();
  return (
    <TextInput
      label={t('identity.mfa.code')}
      autoComplete="one-time-code"
      required
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
      {...rest}
    />
  );
}
