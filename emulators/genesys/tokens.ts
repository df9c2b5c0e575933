// Opaque bearer tokens issued by POST /oauth/token. Each token belongs to one org and one OAuth client and
// expires; tokens are persisted with the state so a restarted emulator does not log every worker out.
import { randomBytes } from 'node:crypto';

export interface TokenRecord {
  token: string;
  orgId: string;
  clientId: string;
  expiresAtMs: number;
}

export type TokenCheck = { ok: true; record: TokenRecord } | { ok: false; reason: 'missing' | 'unknown' | 'expired' };

export class TokenStore {
  private readonly tokens = new Map<string, TokenRecord>();

  constructor(records: TokenRecord[] = []) {
    for (const r of records) this.tokens.set(r.token, r);
  }

  issue(orgId: string, clientId: string, ttlSeconds: number): TokenRecord {
    this.dropExpired();
    const record: TokenRecord = {
      token: randomBytes(24).toString('base64url'),
      orgId,
      clientId,
      expiresAtMs: Date.now() + ttlSeconds * 1000,
    };
    this.tokens.set(record.token, record);
    return record;
  }

  check(authorization: string | undefined): TokenCheck {
    const match = /^bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '');
    if (!match) return { ok: false, reason: 'missing' };
    const record = this.tokens.get(match[1]);
    if (!record) return { ok: false, reason: 'unknown' };
    if (record.expiresAtMs <= Date.now()) return { ok: false, reason: 'expired' };
    return { ok: true, record };
  }

  all(): TokenRecord[] {
    this.dropExpired();
    return [...this.tokens.values()];
  }

  private dropExpired(): void {
    const now = Date.now();
    for (const [k, r] of this.tokens) if (r.expiresAtMs <= now) this.tokens.delete(k);
  }
}
