// The shape of the YAML files an admin writes (config/orgs.yaml, config/seasons/*.yaml), validated with zod.
// Objects are strict: a misspelt key ("homeDivison") is an error, never silently ignored. The loader
// (config/load.ts) turns these raw shapes into OrgConfig / SeasonConfig and adds checks across files.
import { z } from 'zod';
import { closestNames, didYouMean } from '../domain/suggest';
import { GENESYS_REGION_DOMAINS, isGenesysRegionDomain } from '../integrations/genesys/regions';
import { isValidTimeZone } from './schema-time';

/** Ids appear in workflow ids and search attributes: keep them short, lowercase and URL-safe. */
const id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,62}$/,
    'must be lowercase letters, digits and hyphens (like "retail-us"), at most 63 characters',
  );

const envVarName = z
  .string()
  .regex(
    /^[A-Za-z_][A-Za-z0-9_]*$/,
    'must be the NAME of an environment variable (like GENESYS_RETAIL_US_SECRET), not the secret itself',
  );

const nonEmpty = z.string().trim().min(1, 'must not be empty');

const httpUrl = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' });

const genesysSchema = z
  .strictObject({
    region: z
      .string()
      .superRefine((r, ctx) => {
        if (isGenesysRegionDomain(r.trim().toLowerCase())) return;
        const hint = didYouMean(closestNames(r.trim().toLowerCase(), GENESYS_REGION_DOMAINS, 2));
        ctx.addIssue({
          code: 'custom',
          message: `is not a Genesys Cloud region domain${hint || ' (like mypurecloud.com, mypurecloud.ie, usw2.pure.cloud)'}`,
        });
      })
      .optional(),
    apiBaseUrl: httpUrl.optional(),
    clientId: nonEmpty,
    clientSecretEnv: envVarName,
    requestsPerMinute: z.number().int().positive().max(100_000).default(300),
  })
  .refine((g) => (g.region === undefined) !== (g.apiBaseUrl === undefined), {
    message: 'give either region (a Genesys Cloud domain) or apiBaseUrl (the emulator), not both and not neither',
  });

/** Run even when other keys of the map have problems, so every problem of a file is reported at once. */
const reportedWithOtherProblems = {
  when: (payload: { value: unknown }) => typeof payload.value === 'object' && payload.value !== null,
};

/** An OAuth 2.0 service app: client credentials with private_key_jwt; the private key from the environment or a file. */
const oktaOAuthSchema = z
  .strictObject({
    clientId: nonEmpty,
    privateKeyEnv: envVarName.optional(),
    privateKeyFile: nonEmpty.optional(),
    keyId: nonEmpty.optional(),
  })
  .superRefine((o, ctx) => {
    // Located at the key to add (or the one too many), like any missing required key.
    if (o.privateKeyEnv === undefined && o.privateKeyFile === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['privateKeyEnv'],
        message: 'is required: the NAME of a variable holding the PEM private key (or give privateKeyFile instead)',
      });
    else if (o.privateKeyEnv !== undefined && o.privateKeyFile !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['privateKeyFile'],
        message: 'give either privateKeyEnv or privateKeyFile, not both',
      });
  }, reportedWithOtherProblems);

const oktaSchema = z
  .strictObject({
    orgUrl: httpUrl,
    apiTokenEnv: envVarName.optional(),
    oauth: oktaOAuthSchema.optional(),
    genesysAppId: z
      .string()
      .regex(/^0oa[A-Za-z0-9]{5,}$/, "must be the id of the Genesys Cloud app in Okta (0oa…, from the app's URL)")
      .optional(),
  })
  .superRefine((o, ctx) => {
    if (o.apiTokenEnv === undefined && o.oauth === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['apiTokenEnv'],
        message: 'is required (an SSWS API token), or give oauth instead (a service app, as Okta recommends)',
      });
    else if (o.apiTokenEnv !== undefined && o.oauth !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['oauth'],
        message: 'give either apiTokenEnv (an SSWS API token) or oauth (a service app), not both',
      });
  }, reportedWithOtherProblems);

/** How Genesys bills the org (the contract): named users per period from the contract day, or concurrent peaks. */
const billingSchema = z.strictObject({
  model: z.enum(['named', 'concurrent'], { error: 'must be named or concurrent (as in the Genesys contract)' }),
  periodStartDay: z
    .number({ error: 'must be the day of the month a billing period begins (1–28, e.g. 15)' })
    .int('must be a whole day of the month (1–28)')
    .min(1, 'must be a day of the month from 1 to 28')
    .max(28, 'must be a day of the month from 1 to 28 (every month has it)'),
  timeZone: z
    .string()
    .refine(isValidTimeZone, 'is not an IANA time zone (like America/New_York or Europe/Paris)')
    .default('UTC'),
});

export const orgSchema = z.strictObject({
  id,
  genesys: genesysSchema,
  okta: oktaSchema.optional(),
  billing: billingSchema.optional(),
});

export const orgsFileSchema = z.strictObject({
  orgs: z.array(orgSchema).min(1, 'must list at least one org'),
});

export type RawOrg = z.infer<typeof orgSchema>;
export type RawOrgsFile = z.infer<typeof orgsFileSchema>;

const proficiency = z.strictObject({
  name: nonEmpty,
  proficiency: z.number().min(0).max(5),
});

/** A single name is accepted where a list is expected (`divisions: "*"`), because that is how people write it. */
const nameList = z.preprocess(
  (v) => (typeof v === 'string' ? [v] : v),
  z.array(nonEmpty).min(1, 'must name at least one division (or "*" for all)'),
);

const roleGrant = z.strictObject({
  role: nonEmpty,
  divisions: nameList,
});

const groupRule = z.strictObject({
  group: nonEmpty,
  homeDivision: nonEmpty.optional(),
  roles: z.array(roleGrant).default([]),
  skills: z.array(proficiency).optional(),
  languages: z.array(proficiency).optional(),
  queues: z.array(nonEmpty).optional(),
  priority: z.number().int().optional(),
});

/** `never` (or null) keeps deactivated users forever; a number of days deletes them after that grace period. */
const deleteAfterDays = z.union([z.number().min(0).max(3650), z.null(), z.literal('never')], {
  error: 'must be a number of days (0 = at once) or "never"',
});

const deprovisionSchema = z.strictObject({
  deactivate: z.boolean().default(true),
  removeGrants: z.boolean().default(true),
  deleteAfterDays: deleteAfterDays.default(30),
  removeFromOktaGroups: z.boolean().default(true),
  deactivateOktaUser: z.boolean().default(false),
});

const timeZone = z.string().refine(isValidTimeZone, 'is not an IANA time zone (like America/New_York or Europe/Paris)');

/** YAML 1.1 parsers turn unquoted timestamps into dates; accept both so quoting is never required. */
const localDateTime = z.union([z.string(), z.date().transform((d) => d.toISOString())], {
  error: 'must be a local date and time like "2026-11-15 08:00"',
});

export const seasonFileSchema = z.strictObject({
  id,
  org: id,
  start: localDateTime,
  end: localDateTime,
  timeZone,
  deprovision: deprovisionSchema.default({
    deactivate: true,
    removeGrants: true,
    deleteAfterDays: 30,
    removeFromOktaGroups: true,
    deactivateOktaUser: false,
  }),
  defaultHomeDivision: nonEmpty.optional(),
  /** Active, and no login this many days after the season started: listed as dormant (`offboard --dormant`). */
  dormantAfterDays: z
    .number({ error: 'must be a number of days' })
    .int('must be a whole number of days')
    .min(1, 'must be at least 1 day')
    .max(365, 'must be at most 365 days')
    .default(7),
  mapping: z.array(groupRule).min(1, 'must map at least one Okta group'),
});

export type RawSeasonFile = z.infer<typeof seasonFileSchema>;
