/** The fields the identity forms share: the sign-in email and the one-time code of an authenticator. */
import { TextInput, type TextInputProps } from '@mantine/core';
import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';

/** A field's props, as `register` gives them to an input (its ref takes the focus on an error). */
type FieldProps = Omit<TextInputProps, 'label'>;

/** The email an account signs in with (password managers fill it as the user name). */
export const SignInEmailField = forwardRef<HTMLInputElement, FieldProps>(function SignInEmailField(props, ref) {
  const { t } = useTranslation();
  return <TextInput label={t('identity.signIn.email')} type="email" autoComplete="username" required ref={ref} {...props} />;
});

/** A code from an authenticator app, or a recovery code where the form takes one. */
export const OneTimeCodeField = forwardRef<HTMLInputElement, FieldProps>(function OneTimeCodeField(props, ref) {
  const { t } = useTranslation();
  return <TextInput label={t('identity.mfa.code')} autoComplete="one-time-code" required ref={ref} {...props} />;
});
