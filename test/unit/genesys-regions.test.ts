import {
  GENESYS_REGION_DOMAINS,
  UnknownGenesysRegionError,
  genesysRegionUrls,
  resolveGenesysBaseUrls,
} from '../../integrations/genesys';

describe('Genesys regions', () => {
  it.each([
    ['mypurecloud.com'],
    ['mypurecloud.ie'],
    ['mypurecloud.de'],
    ['mypurecloud.jp'],
    ['mypurecloud.com.au'],
    ['usw2.pure.cloud'],
    ['cac1.pure.cloud'],
    ['euw2.pure.cloud'],
    ['aps1.pure.cloud'],
    ['apne2.pure.cloud'],
    ['use2.us-gov-pure.cloud'],
    ['sae1.pure.cloud'],
    ['mec1.pure.cloud'],
    ['edee1.eusc-pure.cloud'],
  ])('maps %s to its api and login hosts', (domain) => {
    expect(genesysRegionUrls(domain)).toEqual({
      apiBaseUrl: `https://api.${domain}`,
      loginBaseUrl: `https://login.${domain}`,
    });
  });

  it('covers every region of the reference sheet (18 domains)', () => {
    expect(GENESYS_REGION_DOMAINS).toHaveLength(18);
    expect(new Set(GENESYS_REGION_DOMAINS).size).toBe(18);
  });

  it('accepts pasted variants: blanks, upper case, trailing dot', () => {
    expect(genesysRegionUrls('  MyPureCloud.IE. ').apiBaseUrl).toBe('https://api.mypurecloud.ie');
  });

  it('rejects an unknown region with a message listing the valid ones', () => {
    expect(() => genesysRegionUrls('mypurecloud.fr')).toThrow(UnknownGenesysRegionError);
    expect(() => genesysRegionUrls('mypurecloud.fr')).toThrow(
      /unknown Genesys Cloud region "mypurecloud\.fr".*mypurecloud\.com, /,
    );
    // A host name is not a region: people paste api.<domain> by mistake.
    expect(() => genesysRegionUrls('api.mypurecloud.com')).toThrow(UnknownGenesysRegionError);
  });

  it('lets a custom base URL (the emulator) serve both API and login, and win over the region', () => {
    expect(resolveGenesysBaseUrls({ apiBaseUrl: 'http://127.0.0.1:4010/', region: 'mypurecloud.com' })).toEqual({
      apiBaseUrl: 'http://127.0.0.1:4010',
      loginBaseUrl: 'http://127.0.0.1:4010',
    });
    expect(resolveGenesysBaseUrls({ region: 'usw2.pure.cloud' }).loginBaseUrl).toBe('https://login.usw2.pure.cloud');
  });

  it('refuses a config with neither, or with a malformed URL', () => {
    expect(() => resolveGenesysBaseUrls({})).toThrow(/either a region domain or an apiBaseUrl/);
    expect(() => resolveGenesysBaseUrls({ apiBaseUrl: 'not a url' })).toThrow(/invalid Genesys base URL/);
    expect(() => resolveGenesysBaseUrls({ apiBaseUrl: 'ftp://example.com' })).toThrow(/only http and https/);
  });
});
