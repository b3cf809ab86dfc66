// The emulator's Managed Login: a React 18 app built from Cloudscape components, rendered on the
// server and hydrated in the browser, as real Managed Login is (cognito-reference 3.1). One form;
// ids from useId (through Cloudscape); controlled inputs; hidden `csrf` and `cognitoAsfData`; later
// steps of a sign-in (password, factor and MFA choices, codes, passkeys, the passkey offer) rendered
// on the client in the same document after a JSON round trip to the emulator, so a driver meets
// what it meets on AWS. Passkeys use the browser's own navigator.credentials (webauthn.ts).
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
import type { ClientStep, FirstFactor, ManagedModel, MfaChoice, SignInAnswer } from '../model.js';
import { passkeyAssertion, passkeyRegistration } from './webauthn.js';

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

const MFA_TYPE_OF_STEP: Partial<Record<ClientStep, MfaChoice>> = { totp: 'SOFTWARE_TOKEN_MFA', sms: 'SMS_MFA', email: 'EMAIL_OTP', passkeyMfa: 'WEB_AUTHN' };

/** The sign-in: first step (one-step or username-first), then the client-rendered steps. */
function SignIn({ model }: { model: ManagedModel }) {
  const t = model.texts;
  const hydrated = useHydrated();
  const initial: 'first' | ClientStep = model.screen === 'mfa' ? (model.mfaStep ?? 'totp') : (model.initialStep ?? 'first');
  const [step, setStep] = useState<'first' | ClientStep>(initial);
  /** Whether a code answers the first factor (posted to /login) or MFA (posted to /mfa). */
  const [phase, setPhase] = useState<'first' | 'mfa'>(model.screen === 'mfa' ? 'mfa' : 'first');
  const [username, setUsername] = useState(model.username ?? '');
  const [password, setPassword] = useState('');
  const [showPassword, setShowPassword] = useState(false);
  const [code, setCode] = useState('');
  const [mfaType, setMfaType] = useState<string | null>(MFA_TYPE_OF_STEP[initial as ClientStep] ?? null);
  const [mfaChoices, setMfaChoices] = useState<MfaChoice[]>(model.mfaChoices ?? ['SOFTWARE_TOKEN_MFA', 'SMS_MFA']);
  const [destination, setDestination] = useState<string | undefined>(model.destination);
  const [factors, setFactors] = useState<FirstFactor[]>(model.firstFactors);
  const [offeredChoice, setOfferedChoice] = useState(false);
  const [continueUrl, setContinueUrl] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const firstError = model.error ? (model.screen === 'mfa' ? { code: model.error } : model.usernameFirst && !model.initialStep ? { username: model.error } : { password: model.error }) : {};
  const [errors, setErrors] = useState<Errors>(firstError);

  /** A later step appears after the configured delay, as on AWS where it can take seconds. */
  const goTo = (next: ClientStep) => window.setTimeout(() => (setBusy(false), setErrors({}), setCode(''), setStep(next)), model.stepDelayMs);
  const handle = (answer: SignInAnswer, field: keyof Errors, nextPhase?: 'first' | 'mfa') => {
    if ('redirect' in answer) return window.location.assign(answer.redirect);
    if ('step' in answer) {
      if (answer.factors) (setFactors(answer.factors), setOfferedChoice(answer.factors.length > 1));
      if (answer.mfaChoices) setMfaChoices(answer.mfaChoices);
      if (answer.continueUrl) setContinueUrl(answer.continueUrl);
      setDestination(answer.destination);
      const type = MFA_TYPE_OF_STEP[answer.step];
      if (type) setMfaType(type);
      // A password, an MFA choice or an MFA code leads to MFA steps; a first-factor choice does not.
      if (nextPhase) setPhase(nextPhase);
      if (answer.step === 'totp' || answer.step === 'mfaChoice' || answer.step === 'passkeyMfa') setPhase('mfa');
      return goTo(answer.step);
    }
    setBusy(false);
    if ('error' in answer) setErrors({ [answer.field ?? field]: answer.error });
  };
  const base = { csrf: model.csrf, cognitoAsfData: '' };

  /** A passkey ceremony started by a click (the user gesture browsers want for WebAuthn). */
  const withPasskey = async (purpose: 'signIn' | 'mfa', extra: Record<string, string> = {}) => {
    if (busy) return;
    setBusy(true);
    setErrors({});
    try {
      handle(await passkeyAssertion(model.search, { ...base, purpose, ...extra }), 'form');
    } catch {
      setBusy(false);
      setErrors({ form: t.passkeyFailed });
    }
  };
  const addPasskey = async () => {
    if (busy) return;
    setBusy(true);
    setErrors({});
    try {
      const answer = await passkeyRegistration(model.search, base);
      if ('ok' in answer && continueUrl) return window.location.assign(continueUrl);
      setBusy(false);
      setErrors({ form: 'error' in answer ? answer.error : t.passkeyAddFailed });
    } catch {
      setBusy(false);
      setErrors({ form: t.passkeyAddFailed });
    }
  };
  const pickFactor = async (f: FirstFactor) => {
    if (busy) return;
    setBusy(true);
    handle(await post(model.action, { ...base, factor: f }), 'form', 'first');
  };

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
      return handle(await post(model.action, fields), model.usernameFirst ? 'username' : 'password', model.usernameFirst ? 'first' : 'mfa');
    }
    if (step === 'password') {
      if (!password) return setErrors({ password: 'Missing password.' });
      setBusy(true);
      return handle(await post(`/verifyPassword${model.search}`, { ...base, password }), 'password', 'mfa');
    }
    if (step === 'totp' || step === 'sms' || step === 'email') {
      if (!code.trim()) return setErrors({ code: 'Missing code.' });
      setBusy(true);
      if (phase === 'first') return handle(await post(model.action, { ...base, code: code.trim() }), 'code');
      return handle(await post(`/mfa${model.search}`, { ...base, code: code.trim(), mfaType: mfaType ?? 'SOFTWARE_TOKEN_MFA' }), 'code');
    }
    if (step === 'mfaChoice') {
      if (!mfaType) return setErrors({ form: 'Select a method.' });
      setBusy(true);
      return handle(await post(`/mfa${model.search}`, { ...base, mfaChoice: mfaType }), 'form', 'mfa');
    }
    if (step === 'passkey') return withPasskey('signIn');
    if (step === 'passkeyMfa') return withPasskey('mfa');
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
  const factorLabel = (f: FirstFactor) => (f === 'PASSWORD' ? t.factorPassword : f === 'EMAIL_OTP' ? t.factorEmailOtp : f === 'SMS_OTP' ? t.factorSmsOtp : t.factorPasskey);
  const mfaLabel = (m: MfaChoice) => (m === 'SOFTWARE_TOKEN_MFA' ? t.mfaChoiceTotp : m === 'SMS_MFA' ? t.mfaChoiceSms : m === 'EMAIL_OTP' ? t.mfaChoiceEmail : t.mfaChoicePasskey);

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
            <Button formAction="none" fullWidth onClick={() => void withPasskey('signIn', username.trim() ? { username: username.trim() } : {})}>
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
            <Button key={f} formAction="none" fullWidth onClick={() => void pickFactor(f)}>
              {factorLabel(f)}
            </Button>
          ))}
        </SpaceBetween>
      );
      break;
    case 'passkey':
    case 'passkeyMfa':
      title = step === 'passkey' ? t.passkeyHeading : t.passkeyMfaHeading;
      body = (
        <>
          {username ? <Box variant="p">{username}</Box> : null}
          <Box variant="p">{t.passkeyBody}</Box>
          <Button variant="primary" formAction="none" loading={busy} fullWidth onClick={() => void withPasskey(step === 'passkey' ? 'signIn' : 'mfa')}>
            {t.passkeyContinue}
          </Button>
          {step === 'passkey' && offeredChoice ? (
            <Button variant="link" formAction="none" onClick={() => goTo('factors')}>
              {t.otherFactors}
            </Button>
          ) : null}
        </>
      );
      break;
    case 'mfaChoice':
      title = t.mfaChoiceHeading;
      body = (
        <>
          <Tiles value={mfaType} onChange={({ detail }) => setMfaType(detail.value)} items={mfaChoices.map((m) => ({ value: m, label: mfaLabel(m) }))} />
          <Button variant="primary" formAction="submit" loading={busy} fullWidth>
            {t.mfaChoiceContinue}
          </Button>
        </>
      );
      break;
    case 'totp':
    case 'sms':
    case 'email':
      title = step === 'totp' ? t.totpHeading : step === 'sms' ? t.smsHeading : t.emailHeading;
      body = (
        <>
          {destination && step !== 'totp' ? <Box variant="p">{t.codeSentTo.replace('{destination}', destination)}</Box> : null}
          <FormField label={step === 'totp' ? t.totpLabel : step === 'sms' ? t.smsLabel : t.emailLabel} errorText={errors.code} stretch>
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
          <Button variant="primary" formAction="none" loading={busy} fullWidth onClick={() => void addPasskey()}>
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

/** `/passkeys/add`: a signed-in user registers a passkey; success shows in the same document. */
function PasskeyAdd({ model }: { model: ManagedModel }) {
  const t = model.texts;
  const [state, setState] = useState<'ready' | 'busy' | 'added'>('ready');
  const [error, setError] = useState<string | undefined>();
  const back = model.redirectUri ?? '/';
  const add = async () => {
    if (state !== 'ready') return;
    setState('busy');
    setError(undefined);
    try {
      const answer = await passkeyRegistration(model.search, { csrf: model.csrf, cognitoAsfData: '' });
      if ('ok' in answer) return setState('added');
      setError('error' in answer ? answer.error : t.passkeyAddFailed);
    } catch {
      setError(t.passkeyAddFailed);
    }
    setState('ready');
  };
  if (state === 'added') {
    return (
      <Shell title={t.passkeyAddedHeading}>
        <SpaceBetween size="m">
          <Box variant="p">{model.username}</Box>
          <Link href={back}>{t.passkeyAddedContinue}</Link>
        </SpaceBetween>
      </Shell>
    );
  }
  return (
    <Shell title={t.passkeyAddHeading}>
      <form method="post" action={model.action} onSubmit={(e) => (e.preventDefault(), void add())} noValidate>
        <Hidden model={model} />
        <SpaceBetween size="m">
          <Box variant="p">{model.username}</Box>
          {model.passkeysAvailable ? (
            <>
              <Box variant="p">{t.passkeyOfferBody}</Box>
              <Button variant="primary" formAction="none" loading={state === 'busy'} fullWidth onClick={() => void add()}>
                {t.passkeyAddButton}
              </Button>
            </>
          ) : (
            <Box variant="p">{t.passkeyUnavailable}</Box>
          )}
          {error ? <Box color="text-status-error">{error}</Box> : null}
          <Link href={back}>{t.passkeyAddCancel}</Link>
        </SpaceBetween>
      </form>
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
    case 'passkeyAdd':
      return <PasskeyAdd model={model} />;
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
