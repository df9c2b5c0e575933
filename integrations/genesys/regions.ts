// Genesys Cloud region domains → API and login base URLs. The list follows the region table in
// shared/reference/genesys-cloud-api.md §4 (SDK PureCloudRegionHosts and the Terraform provider).
// Orgs name their region by domain (what admins see in their browser), never by AWS code.

/** Known region domains. A new Genesys region needs one line here: we refuse to guess hosts. */
export const GENESYS_REGION_DOMAINS = [
  'mypurecloud.com', // us-east-1
  'use2.us-gov-pure.cloud', // us-east-2 (FedRAMP)
  'usw2.pure.cloud', // us-west-2
  'cac1.pure.cloud', // ca-central-1
  'sae1.pure.cloud', // sa-east-1
  'mxc1.pure.cloud', // mx-central-1
  'mypurecloud.ie', // eu-west-1
  'euw2.pure.cloud', // eu-west-2
  'mypurecloud.de', // eu-central-1
  'euc2.pure.cloud', // eu-central-2
  'mec1.pure.cloud', // me-central-1
  'aps1.pure.cloud', // ap-south-1
  'mypurecloud.jp', // ap-northeast-1
  'apne2.pure.cloud', // ap-northeast-2
  'apne3.pure.cloud', // ap-northeast-3
  'apse1.pure.cloud', // ap-southeast-1
  'mypurecloud.com.au', // ap-southeast-2
  'edee1.eusc-pure.cloud', // EU sovereign cloud, Germany
] as const;

export type GenesysRegionDomain = (typeof GENESYS_REGION_DOMAINS)[number];

export interface GenesysBaseUrls {
  apiBaseUrl: string;
  loginBaseUrl: string;
}

export class UnknownGenesysRegionError extends Error {
  override readonly name = 'UnknownGenesysRegionError';
}

const KNOWN = new Set<string>(GENESYS_REGION_DOMAINS);

export function isGenesysRegionDomain(domain: string): domain is GenesysRegionDomain {
  return KNOWN.has(domain);
}

/**
 * Maps a region domain to its hosts. Accepts the domain with surrounding blanks, any case and a trailing
 * dot, because that is how people paste it; anything else is rejected with the list of valid domains.
 */
export function genesysRegionUrls(region: string): GenesysBaseUrls {
  const domain = region.trim().toLowerCase().replace(/\.$/, '');
  if (!isGenesysRegionDomain(domain)) {
    throw new UnknownGenesysRegionError(
      `unknown Genesys Cloud region "${region}": expected one of ${GENESYS_REGION_DOMAINS.join(', ')} (or a custom apiBaseUrl)`,
    );
  }
  return { apiBaseUrl: `https://api.${domain}`, loginBaseUrl: `https://login.${domain}` };
}

/**
 * Resolves an org's base URLs: a custom base URL (the emulator serves API and login on one origin) wins over
 * the region. Exactly one of them must be given.
 */
export function resolveGenesysBaseUrls(input: {
  region?: string | undefined;
  apiBaseUrl?: string | undefined;
}): GenesysBaseUrls {
  if (input.apiBaseUrl !== undefined && input.apiBaseUrl.trim() !== '') {
    const base = normalizeBaseUrl(input.apiBaseUrl);
    return { apiBaseUrl: base, loginBaseUrl: base };
  }
  if (input.region !== undefined && input.region.trim() !== '') return genesysRegionUrls(input.region);
  throw new UnknownGenesysRegionError('a Genesys Cloud org needs either a region domain or an apiBaseUrl');
}

/** Validates an http(s) URL and strips trailing slashes so paths can be appended verbatim. */
export function normalizeBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url.trim());
  } catch {
    throw new UnknownGenesysRegionError(`invalid Genesys base URL "${url}"`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new UnknownGenesysRegionError(`invalid Genesys base URL "${url}": only http and https are supported`);
  }
  return parsed.toString().replace(/\/+$/, '');
}
