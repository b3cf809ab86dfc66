// Cognito identifiers parsed once with a regex, and everything else derived from them (as
// awslabs/aws-jwt-verify does): the user-pool domain, the pool id, the issuer and the JWKS URI.
import { usageError } from '../errors.js';

// Region names such as us-east-1, eu-central-2, us-gov-west-1, ap-southeast-5.
const REGION = '[a-z]{2}(?:-gov|-iso[a-z]?)?-[a-z]+-\\d+';
const PREFIX_DOMAIN = new RegExp(`^([a-z0-9](?:[a-z0-9-]*[a-z0-9])?)\\.auth(?:-fips)?\\.(${REGION})\\.amazoncognito\\.com$`);
const POOL_ID = new RegExp(`^(${REGION})_([0-9A-Za-z]+)$`);

export interface ParsedDomain {
  /** `scheme://host[:port]`, no trailing slash. */
  origin: string;
  /** The domain prefix of an Amazon Cognito prefix domain. */
  prefix?: string;
  region?: string;
  /** True for a custom domain (anything that is not `<prefix>.auth.<region>.amazoncognito.com`). */
  custom: boolean;
}

/**
 * Parse a user-pool domain URL (`https://<prefix>.auth.<region>.amazoncognito.com` or a custom
 * domain such as `https://auth.example.com`). Throws CONFIG_INVALID (exit 2) if it is not an
 * absolute http(s) URL. Protocol policy (https vs loopback) is the config loader's job.
 */
export function parseDomain(url: string): ParsedDomain {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw usageError('CONFIG_INVALID', `"${url}" is not an absolute URL.`, {
      hint: 'Use the form https://<prefix>.auth.<region>.amazoncognito.com or https://<custom-domain>.',
    });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw usageError('CONFIG_INVALID', `"${url}" is not an http(s) URL.`, {
      hint: 'Use the form https://<prefix>.auth.<region>.amazoncognito.com or https://<custom-domain>.',
    });
  }
  const m = PREFIX_DOMAIN.exec(parsed.hostname);
  if (m) return { origin: parsed.origin, prefix: m[1], region: m[2], custom: false };
  return { origin: parsed.origin, custom: true };
}

/** Parse a user pool id such as `us-east-1_AbC123`; `id` is the whole pool id. Throws CONFIG_INVALID. */
export function parsePoolId(id: string): { region: string; id: string } {
  const m = POOL_ID.exec(id);
  if (!m || !m[1]) {
    throw usageError('CONFIG_INVALID', `"${id}" is not a Cognito user pool id.`, {
      hint: 'A user pool id looks like us-east-1_AbC123 (region, underscore, id); find it in the Cognito console.',
    });
  }
  return { region: m[1], id };
}

/** The issuer of a pool's tokens: `https://cognito-idp.<region>.amazonaws.com/<poolId>`. */
export function cognitoIssuer(poolId: string): string {
  const { region, id } = parsePoolId(poolId);
  return `https://cognito-idp.${region}.amazonaws.com/${id}`;
}

/** The JWKS of an issuer, as Cognito publishes it: `<issuer>/.well-known/jwks.json`. */
export function jwksUriFor(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/jwks.json`;
}

/** Loopback hosts, where plain http is allowed without the opt-in (the local emulator). */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase();
  if (h === 'localhost' || h === '[::1]' || h === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}
