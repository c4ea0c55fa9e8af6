/**
 * The English messages the schemas write for a field, by the stable code the API sends beside them
 * (`fieldCodes`) so that clients show them in the reader's language. A schema message that is not
 * here goes out without a code, and clients show it as written rather than a vaguer generic one.
 */
export const FIELD_MESSAGES = {
  repeated_value: 'must not repeat a value',
  country_code: 'must be a two-letter country code',
  domain: 'must be a domain such as schools.example.org',
  uri: 'must be a URI, such as https://refeds.org/profile/mfa',
  key_format: 'use lower-case letters, digits, dots, dashes and underscores',
  slug_format: 'use 3 to 60 lower-case letters, digits or hyphens, starting and ending with a letter or digit',
  double_hyphen: 'must not contain two hyphens in a row',
  catalog_or_custom: 'give either a catalog app or a custom app, not both',
  no_change: 'change at least one field',
  date_range: 'must be a date from the year 1900 to 9999',
  end_of_service_range: 'choose a day from today to five years ahead',
  end_of_service_window: 'choose a day from a year ago to five years ahead',
  nul_character: 'must not contain a NUL character',
  summary_required: 'summarise the changes: a significant version is emailed to every site administrator',
  file_name: 'must not hold a path or control characters',
  not_after_today: 'must not be after today',
  evidence_seen_on: 'give the day the source was seen',
  evidence_source: 'give a link, a quotation or a document’s name for the day seen',
} as const;
export type FieldMessageCode = keyof typeof FIELD_MESSAGES;
