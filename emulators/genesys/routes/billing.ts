// GET /api/v2/billing/reports/billableusage (BillingUsageReport). Named users only: a user is billed when it logged
// in during [startDate, endDate) — deleted since or not — at the highest tier it held at those logins (Resource
// Center: "anyone that logged in ... during the billing period is a billable named user ... billed [at] the highest
// level license assigned"). One usage per license: `name` the license id, `totalUsage` the count as a decimal
// string, `resources` each user (its userName, the email the Billable Usage report shows) with its first login.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type EmulatorContext, requestOrg } from '../context';
import { badRequest } from '../errors';
import { billedLicenses, byLicenseOrder } from '../licenses';
import type { OrgStore } from '../store';
import { parseOr400 } from './authorization';

const dateTime = z.iso.datetime({ offset: true });
const reportQuery = z.object({ startDate: dateTime, endDate: dateTime });

function usages(org: OrgStore, from: number, to: number) {
  const byLicense = new Map<string, Array<{ name: string; date: string }>>();
  for (const user of org.users.values()) {
    const inPeriod = (user.logins ?? []).filter((l) => Date.parse(l.at) >= from && Date.parse(l.at) < to);
    if (inPeriod.length === 0) continue;
    for (const license of billedLicenses(inPeriod.flatMap((l) => l.licenseIds))) {
      const resources = byLicense.get(license) ?? [];
      resources.push({ name: user.userName, date: inPeriod[0].at });
      byLicense.set(license, resources);
    }
  }
  return [...byLicense.keys()].sort(byLicenseOrder).map((name) => {
    const resources = (byLicense.get(name) ?? []).sort((a, b) => a.date.localeCompare(b.date));
    return { name, totalUsage: String(resources.length), resources };
  });
}

export function registerBillingRoutes(app: FastifyInstance, ctx: EmulatorContext): void {
  app.get('/api/v2/billing/reports/billableusage', async (request) => {
    const org = requestOrg(ctx, request);
    const q = parseOr400(reportQuery, request.query, 'billable usage query');
    const from = Date.parse(q.startDate);
    const to = Date.parse(q.endDate);
    if (to <= from) throw badRequest('endDate must be after startDate');
    return {
      id: randomUUID(),
      startDate: new Date(from).toISOString(),
      endDate: new Date(to).toISOString(),
      // The report is computed at once: never InProgress (the SDK's other status; README).
      status: 'Complete',
      usages: usages(org, from, to),
      selfUri: '/api/v2/billing/reports/billableusage',
    };
  });
}
