// The emulator's Managed Login: a React 18 app built from Cloudscape components, rendered on the
// server and hydrated in the browser, as real Managed Login is (cognito-reference 3.1). One form;
// ids from useId (through Cloudscape); controlled inputs; hidden `csrf` and `cognitoAsfData`; later
// steps of a sign-in (password, choices, MFA, passkey offer) rendered on the client in the same
// document after a JSON round trip to the emulator, so a driver meets what it meets on AWS.
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import Box from '@cloudscape-design/components/box';
import Button from '@cloudscape-design/components/button';
import Checkbox from '@cloudscape-design/components/checkbox';
import Container from '@cloudscape-design/components/container';
import FormField from '@cloudscape-design/components/form-field';
import Header from '@cloudscape-design/components/header';
import Input from '@cloudscape-design/components/input';
import Link from '@cloudscape-design/components/link';
import SpaceBetween from '@cloudscape-design/components/space-between';
import Tiles from '@cloudscape-design/components/tiles';
import type { ClientStep, FirstFactor, ManagedModel, SignInAnswer } from '../model.js';

/** POST a form-encoded body the way the app's API calls do; any non-JSON answer becomes an error. */
async function post(action: string, fields: Record<string, string>): Promise<SignInAnswer> {
  try {
    const res = await fetch(action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(fields).toString(),
    });
    return (await res.json()) as SignInAnswer;
  } catch {
    return { error: 'Something went wrong. Try again.' };
  }
}

/**
 * The authorize query naming one IdP: `identity_provider` or `idp_identifier` set to `value`, and
 * any other IdP choice the query carried dropped, so Cognito sees exactly the one the user picked.
 */
const withParam = (search: string, key: 'identity_provider' | 'idp_identifier', value: string) => {
  const q = new URLSearchParams(search);
  q.delete('identity_provider');
  q.delete('idp_identifier');
  q.set(key, value);
  return `?${q.toString()}`;
};

/**
 * True once React has hydrated and run its effects. Flipping it re-renders the inputs with a
 * changed attribute, as the real page "re-renders between commands": React then writes its state
 * into each controlled input, so text typed into the server-rendered field before hydration is gone.
 */
function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

function Shell({ title, children }: { title: string; children: ReactNode }) {
  return (
    <div className="managed-login-page" style={{ maxWidth: 440, margin: '48px auto', padding: '0 16px' }}>
      <Container header={<Header variant="h1">{title}</Header>}>{children}</Container>
    </div>
  );
}

function Hidden({ model }: { model: ManagedModel }) {
  return (
    <>
      <input type="hidden" name="csrf" value={model.csrf} />
      <input type="hidden" name="cognitoAsfData" value="" />
    </>
  );
}

const usernameLabel = (m: ManagedModel) => (m.usernameKind === 'email' ? 'Email address' : m.usernameKind === 'phone' ? 'Phone number' : 'Username');
const missingUsername = (m: ManagedModel) => (m.usernameKind === 'email' ? 'Missing email address.' : m.usernameKind === 'phone' ? 'Missing phone number.' : 'Missing username.');

/** The corporate-email form (enterprise sign-in): its own form, never the personal one. */
function CorporateForm({ model, hydrated }: { model: ManagedModel; hydrated: boolean }) {
  const t = model.texts;
  const [email, setEmail] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const domain = /^[^@\s]+@([^@\s]+\.[^@\s]+)$/.exec(email.trim())?.[1];
    if (!email.trim()) return setError('Missing email address.');
    if (!domain) return setError('Invalid email address.');
    window.location.assign(`/oauth2/authorize${withParam(model.search, 'idp_identifier', domain.toLowerCase())}`);
  };
  return (
    <form method="get" action="/oauth2/authorize" onSubmit={submit} noValidate>
      <SpaceBetween size="s">
        <Box variant="h2">{t.corporateHeading}</Box>
        <FormField label={t.corporateLabel} errorText={error} stretch>
          <Input type="email" value={email} ariaRequired={hydrated} autoComplete="email" onChange={({ detail }) => (setEmail(detail.value), setError(undefined))} />
        </FormField>
        <Button variant="normal" formAction="submit">
          {t.corporateSubmit}
        </Button>
      </SpaceBetween>
    </form>
  );
}

function IdpButtons({ model }: { model: ManagedModel }) {
  if (!model.idps.length) return null;
  return (
    <SpaceBetween size="xs">
      {model.idps.map((idp) => (
        <Button key={idp.providerName} href={`/oauth2/authorize${withParam(model.search, 'identity_provider', idp.providerName)}`}>
          {idp.label}
        </Button>
      ))}
    </SpaceBetween>
  );
}

type Errors = Partial<Record<'username' | 'password' | 'code' | 'form', string>>;

/** The sign-in: first step (one-step or username-first), then the client-rendered steps. */
function SignIn({ model }: { model: ManagedModel }) {
  const t = model.texts;
  const hydrated = useHydrated();
  const initial: 'first' | ClientStep = model.screen === 'mfa' ? (model.mfaStep ?? 'totp') : (model.initialStep ?? 'first');
  const [step, setStep] = useState<'first' | ClientStep>(initial);
  const [username, setUsername] = useState(model.username ?? '');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [code, setCode] = useState('');
  const [mfaType, setMfaType] = useState<string | null>(model.mfaStep === 'sms' ? 'SMS_MFA' : model.mfaStep === 'totp' ? 'SOFTWARE_TOKEN_MFA' : null);
  const [factors, setFactors] = useState<FirstFactor[]>(model.firstFactors);
  const [continueUrl, setContinueUrl] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const firstError = model.error ? (model.screen === 'mfa' ? { code: model.error } : model.usernameFirst && !model.initialStep ? { username: model.error } : { password: model.error }) : {};
  const [errors, setErrors] = useState<Errors>(firstError);

  /** A later step appears after the configured delay, as on AWS where it can take seconds. */
  const goTo = (next: ClientStep) => window.setTimeout(() => (setBusy(false), setErrors({}), setStep(next)), model.stepDelayMs);
  const handle = (answer: SignInAnswer, field: 'username' | 'password' | 'code') => {
    if ('redirect' in answer) return window.location.assign(answer.redirect);
    if ('step' in answer) {
      if (answer.factors) setFactors(answer.factors);
      if (answer.continueUrl) setContinueUrl(answer.continueUrl);
      if (answer.step === 'totp') setMfaType('SOFTWARE_TOKEN_MFA');
      if (answer.step === 'sms') setMfaType('SMS_MFA');
      return goTo(answer.step);
    }
    setBusy(false);
    setErrors({ [answer.field ?? field]: answer.error });
  };
  const base = { csrf: model.csrf, cognitoAsfData: '' };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    if (step === 'first') {
      const missing: Errors = {};
      if (!username.trim()) missing.username = missingUsername(model);
      else if (model.usernameKind === 'email' && !/^[^@\s]+@[^@\s]+$/.test(username.trim())) missing.username = 'Invalid email address.';
      if (!model.usernameFirst && !password) missing.password = 'Missing password.';
      setErrors(missing);
      if (Object.keys(missing).length) return;
      setBusy(true);
      const fields = model.usernameFirst ? { ...base, username: username.trim() } : { ...base, username: username.trim(), password };
      return handle(await post(model.action, fields), model.usernameFirst ? 'username' : 'password');
    }
    if (step === 'password') {
      if (!password) return setErrors({ password: 'Missing password.' });
      setBusy(true);
      return handle(await post(`/verifyPassword${model.search}`, { ...base, password }), 'password');
    }
    if (step === 'totp' || step === 'sms') {
      if (!code.trim()) return setErrors({ code: 'Missing code.' });
      setBusy(true);
      return handle(await post(`/mfa${model.search}`, { ...base, code: code.trim(), mfaType: mfaType ?? 'SOFTWARE_TOKEN_MFA' }), 'code');
    }
    if (step === 'mfaChoice') {
      if (!mfaType) return setErrors({ form: 'Select a method.' });
      setBusy(true);
      return goTo(mfaType === 'SMS_MFA' ? 'sms' : 'totp');
    }
  };

  const passwordField = (label: string) => (
    <>
      <FormField label={label} errorText={errors.password} stretch>
        <Input
          name="password"
          type={showPassword ? 'text' : 'password'}
          value={password}
          autoComplete="current-password"
          ariaRequired={hydrated}
          onChange={({ detail }) => (setPassword(detail.value), setErrors((x) => ({ ...x, password: undefined })))}
        />
      </FormField>
      <Checkbox checked={showPassword} onChange={({ detail }) => setShowPassword(detail.checked)}>
        {step === 'password' ? 'Show Password' : 'Show password'}
      </Checkbox>
    </>
  );

  let title = 'Sign in';
  let body: ReactNode;
  switch (step) {
    case 'first':
      body = (
        <>
          <FormField label={usernameLabel(model)} errorText={errors.username} stretch>
            <Input
              name="username"
              type={model.usernameKind === 'email' ? 'email' : 'text'}
              value={username}
              autoComplete="username"
              disableBrowserAutocorrect
              ariaRequired={hydrated}
              onChange={({ detail }) => (setUsername(detail.value), setErrors((x) => ({ ...x, username: undefined })))}
            />
          </FormField>
          {model.usernameFirst ? null : passwordField('Password')}
          <Button variant="primary" formAction="submit" loading={busy} fullWidth>
            {model.usernameFirst ? 'Next' : 'Sign in'}
          </Button>
          {model.firstFactors.includes('WEB_AUTHN') ? (
            <Button formAction="none" fullWidth onClick={() => setErrors({ form: 'Passkeys are not available in this browser.' })}>
              {t.passkeyButton}
            </Button>
          ) : null}
        </>
      );
      break;
    case 'password':
      body = (
        <>
          <Box variant="p">{username}</Box>
          {passwordField('Password')}
          <Button variant="primary" formAction="submit" loading={busy} fullWidth>
            Continue
          </Button>
          <Link href={`/forgotPassword${model.search}`}>Forgot your password?</Link>
        </>
      );
      break;
    case 'factors':
      title = t.factorChoiceHeading;
      body = (
        <SpaceBetween size="xs">
          <Box variant="p">{username}</Box>
          {factors.map((f) => (
            <Button
              key={f}
              formAction="none"
              fullWidth
              onClick={() => (f === 'PASSWORD' ? (setBusy(true), goTo('password')) : setErrors({ form: 'This sign-in method is not available for your account.' }))}
            >
              {f === 'PASSWORD' ? t.factorPassword : f === 'EMAIL_OTP' ? t.factorEmailOtp : f === 'SMS_OTP' ? t.factorSmsOtp : t.factorPasskey}
            </Button>
          ))}
        </SpaceBetween>
      );
      break;
    case 'mfaChoice':
      title = t.mfaChoiceHeading;
      body = (
        <>
          <Tiles
            value={mfaType}
            onChange={({ detail }) => setMfaType(detail.value)}
            items={[
              { value: 'SOFTWARE_TOKEN_MFA', label: t.mfaChoiceTotp },
              { value: 'SMS_MFA', label: t.mfaChoiceSms },
            ]}
          />
          <Button variant="primary" formAction="submit" loading={busy} fullWidth>
            {t.mfaChoiceContinue}
          </Button>
        </>
      );
      break;
    case 'totp':
    case 'sms':
      title = step === 'totp' ? t.totpHeading : t.smsHeading;
      body = (
        <>
          <FormField label={step === 'totp' ? t.totpLabel : t.smsLabel} errorText={errors.code} stretch>
            <Input
              value={code}
              inputMode="numeric"
              autoComplete="one-time-code"
              ariaRequired
              onChange={({ detail }) => (setCode(detail.value), setErrors((x) => ({ ...x, code: undefined })))}
            />
          </FormField>
          <Button variant="primary" formAction="submit" loading={busy} fullWidth>
            {t.mfaSubmit}
          </Button>
        </>
      );
      break;
    case 'passkeyOffer':
      title = t.passkeyOfferHeading;
      body = (
        <>
          <Box variant="p">{t.passkeyOfferBody}</Box>
          <Button variant="primary" formAction="none" fullWidth onClick={() => setErrors({ form: 'Passkeys are not available in this browser.' })}>
            {t.passkeyOfferAccept}
          </Button>
          <Button formAction="none" fullWidth onClick={() => continueUrl && window.location.assign(continueUrl)}>
            {t.passkeyOfferDecline}
          </Button>
        </>
      );
      break;
  }

  const personal = (
    <form method="post" action={model.action} onSubmit={submit} noValidate key="personal">
      <Hidden model={model} />
      <SpaceBetween size="m">
        {body}
        {errors.form ? <Box color="text-status-error">{errors.form}</Box> : null}
      </SpaceBetween>
    </form>
  );
  const extras = step === 'first' && (model.corporate || model.idps.length) ? (
    <SpaceBetween size="m" key="extras">
      <Box textAlign="center" color="text-body-secondary">
        {t.divider}
      </Box>
      {model.corporate ? <CorporateForm model={model} hydrated={hydrated} /> : null}
      <IdpButtons model={model} />
    </SpaceBetween>
  ) : null;
  return (
    <Shell title={title}>
      <SpaceBetween size="l">
        {model.info ? <Box variant="p">{model.info}</Box> : null}
        {model.corporateForm === 'before' ? [extras, personal] : [personal, extras]}
        {step === 'first' ? (
          <Box variant="p">
            New user? <Link href={`/signup${model.search}`}>Create an account</Link>
          </Box>
        ) : null}
      </SpaceBetween>
    </Shell>
  );
}

/** A controlled field posted by a plain form (the user-state pages). */
function Field(props: { label: string; name: string; type?: 'text' | 'password'; autoComplete?: string }) {
  const [value, setValue] = useState('');
  return (
    <FormField label={props.label} stretch>
      <Input name={props.name} type={props.type ?? 'text'} value={value} autoComplete={props.autoComplete ?? false} onChange={({ detail }) => setValue(detail.value)} />
    </FormField>
  );
}

/** The pages after a sign-in step that post natively (the server answers with redirects). */
function PlainForm({ model, title, intro, submit, children, extra }: { model: ManagedModel; title: string; intro?: string; submit: string; children?: ReactNode; extra?: ReactNode }) {
  return (
    <Shell title={title}>
      <form method="post" action={model.action} noValidate>
        <Hidden model={model} />
        <SpaceBetween size="m">
          {intro ? <Box variant="p">{intro}</Box> : null}
          {model.info ? <Box variant="p">{model.info}</Box> : null}
          {model.error ? <Box color="text-status-error">{model.error}</Box> : null}
          {children}
          <Button variant="primary" formAction="submit" fullWidth>
            {submit}
          </Button>
          {extra}
        </SpaceBetween>
      </form>
    </Shell>
  );
}

export function App({ model }: { model: ManagedModel }) {
  switch (model.screen) {
    case 'signIn':
    case 'mfa':
      return <SignIn model={model} />;
    case 'changePassword':
      return (
        <PlainForm model={model} title="Change Password" intro="Please enter a new password." submit="Change password">
          <Field label="New password" name="newPassword" type="password" autoComplete="new-password" />
          <Field label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" />
        </PlainForm>
      );
    case 'confirm':
      return (
        <PlainForm model={model} title="Confirm your account" intro="We have sent a code by email. Enter it below to confirm your account." submit="Confirm account" extra={<Link href={`/resendcode${model.search}`}>Send a new code</Link>}>
          <input type="hidden" name="username" value={model.username ?? ''} />
          <Field label="Verification code" name="confirmation_code" autoComplete="one-time-code" />
        </PlainForm>
      );
    case 'resetPassword':
      return (
        <PlainForm model={model} title="Reset your password" intro="We have sent a password reset code by email." submit="Reset password">
          <input type="hidden" name="username" value={model.username ?? ''} />
          <Field label="Code" name="code" />
          <Field label="New password" name="password" type="password" autoComplete="new-password" />
          <Field label="Confirm new password" name="confirmPassword" type="password" autoComplete="new-password" />
        </PlainForm>
      );
    case 'forgotPassword':
      return (
        <PlainForm model={model} title="Forgot your password?" submit="Reset my password">
          <Field label={usernameLabel(model)} name="username" autoComplete="username" />
        </PlainForm>
      );
    case 'signup':
      return (
        <Shell title="Create an account">
          <Box variant="p">Self sign-up is not available on this emulated pool; users come from its configuration.</Box>
          <Link href={`/login${model.search}`}>Sign in</Link>
        </Shell>
      );
    case 'signedInAs':
      return (
        <PlainForm
          model={model}
          title="Sign in"
          intro={`Signed in as ${model.username ?? ''}`}
          submit={`Continue as ${model.username ?? ''}`}
          extra={<Link href={`/logout${model.search}`}>Sign in as a different user</Link>}
        >
          <input type="hidden" name="signInAs" value="true" />
        </PlainForm>
      );
  }
}
