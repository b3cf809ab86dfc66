// Selector profiles: how to find the username, password, next, submit, OTP, error and consent
// elements on a login page. Built-ins: classic and managed; custom ones come as JSON in config.

export interface SelectorProfile {
  name: string;
  username: string;
  password: string;
  /** "Next" on username-first pages. */
  next?: string;
  submit: string;
  otp?: string;
  error?: string;
  /** A consent/authorize button some IdPs show after sign-in. */
  consent?: string;
}
