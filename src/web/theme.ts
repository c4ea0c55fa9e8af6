/** The Mantine theme: defaults chosen for accessibility (contrast) and for stable automation by role and label. */
import {
  createTheme,
  defaultVariantColorsResolver,
  parseThemeColor,
  type BadgeProps,
  type CSSVariablesResolver,
  type InputWrapperProps,
  type MantineThemeComponent,
  type MultiSelectProps,
  type NavLinkProps,
  type SelectProps,
  type VariantColorsResolver,
} from '@mantine/core';

/**
 * A component's theme entry, typed like `Component.extend(…)` would type it, without importing the
 * component: the theme is part of every page, and importing Select or NavLink here would put them
 * (and their dependencies) into the sign-in page's script.
 */
const extend = <Props>(entry: MantineThemeComponent & { defaultProps?: Partial<Props> }) => entry;

/** Text of light, outline and subtle variants darkened so it reaches 4.5:1 on its light background. */
const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'light' && input.variant !== 'outline' && input.variant !== 'subtle') return colors;
  const parsed = parseThemeColor({ color: input.color ?? input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor) return colors;
  const text = `color-mix(in srgb, var(--mantine-color-${parsed.color}-9), black 35%)`;
  return {
    ...colors,
    color: text,
    hoverColor: text,
    ...(input.variant === 'outline' ? { border: `var(--mantine-color-${parsed.color}-7)` } : {}),
  };
};

/** Dimmed and error text dark enough for 4.5:1 on white. */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': 'var(--mantine-color-gray-7)',
    '--mantine-color-error': 'var(--mantine-color-red-9)',
    '--mantine-color-placeholder': 'var(--mantine-color-gray-6)',
  },
  dark: {},
});

export const theme = createTheme({
  primaryColor: 'blue',
  primaryShade: { light: 8, dark: 5 },
  fontFamily: 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  variantColorResolver,
  components: {
    // No asterisk inside labels, so a label's text is exactly the field's name ("Email", not "Email *");
    // required fields are still marked, by styles.css, and announced through the `required` attribute.
    InputWrapper: extend<InputWrapperProps>({ defaultProps: { withAsterisk: false } }),
    // Closed dropdowns are unmounted, so a field's label names only its input (not also a hidden listbox).
    Select: extend<SelectProps>({ defaultProps: { comboboxProps: { keepMounted: false } } }),
    // Searchable multi-selects have a real text field that can be clicked and typed into.
    MultiSelect: extend<MultiSelectProps>({ defaultProps: { comboboxProps: { keepMounted: false }, searchable: true } }),
    // The current page's link keeps the darkened text of the light variant (4.5:1), hovered or not.
    NavLink: extend<NavLinkProps>({ defaultProps: { color: 'blue' } }),
    // Badges never truncate their text (status names are long in French); a filled badge's text is
    // black or white, whichever reads on its colour (white on yellow or red is under 4.5:1).
    Badge: extend<BadgeProps>({
      defaultProps: { autoContrast: true },
      styles: { root: { textTransform: 'none', overflow: 'visible' }, label: { overflow: 'visible', textOverflow: 'clip' } },
    }),
  },
});
