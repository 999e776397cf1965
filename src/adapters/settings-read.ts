/**
 * What reading one integration's settings found: none of them (it is off), all of them, or
 * problems (some but not all, or an unusable value) that stop start-up.
 */
export type SettingsRead<T> =
  | { readonly kind: "off" }
  | { readonly kind: "on"; readonly settings: T }
  | { readonly kind: "invalid"; readonly problems: readonly string[] };
