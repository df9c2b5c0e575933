// The load side of `npm run bench -- --scenario receiver` (scripts/bench-receiver.ts), in a process of its own so
// that its work and the Okta emulator's never hold up the receiver's event loop (in production Okta is elsewhere).
//
// It runs the Okta emulator with 500 people and plays a busy org at the receiver for a fixed time: open-loop, a
// delivery every 1/rate seconds whatever the answers take. The people's real changes (hires, chat moves, leavers,
// suspensions, changes outside the seasons) are made through the emulator, so its event log and its state agree;
// each real event is delivered late (0-3 s) and half of them again in a later delivery; a share of deliveries
// are redelivered whole (same eventId); the rest of every delivery is noise (sign-ins, profile updates).
// Messages: → {ready}, ← {go}, → {done}, ← {stop}.
import { performance } from 'node:perf_hooks';
import { randomUUID } from 'node:crypto';
import { unsafeUniformIntDistribution, xoroshiro128plus } from 'pure-rand';
import { startOktaEmulator, type LogEvent } from '../emulators/okta';
import { AGENTS_GROUP, CHAT_GROUP } from '../test/support/agents';

/** The two groups the bench's season maps (the shared retail mapping), and one it does not. */
const GROUPS = { agents: AGENTS_GROUP.name, chat: CHAT_GROUP.name, everyone: 'Everyone-Retail' } as const;

export interface LoadPlan {
  receiverUrl: string;
  secret: string;
  seconds: number;
  deliveriesPerSecond: number;
  eventsPerDelivery: number;
  people: number;
  seed: number;
}

export interface PersonEnd {
  oktaUserId: string;
  status: string;
  /** The person's groups at the end that the season maps. */
  seasonGroups: Array<{ id: string; name: string }>;
}

export interface LoadResult {
  deliveries: number;
  events: number;
  realEvents: number;
  resentEvents: number;
  redeliveries: number;
  offeredSeconds: number;
  answerMs: number[];
  statuses: Record<string, number>;
  networkErrors: number;
  people: PersonEnd[];
}

export type ToLoad = { type: 'go'; plan: LoadPlan } | { type: 'stop' };

/** The Okta emulator's added answer time (ms), from the parent: argv[2]. */
function latencyFromArgv(): number {
  const value = Number(process.argv[2] ?? '0');
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}
export type FromLoad = { type: 'ready'; oktaUrl: string; apiToken: string } | { type: 'done'; result: LoadResult };

/**
 * A number in [0, 1), from a seed: the people's stories are the same for a seed. Which delivery carries which event
 * also follows the clock, so the mix of deliveries varies a little between runs.
 */
function seededRandom(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => unsafeUniformIntDistribution(0, 0xffffffff, rng) / 0x100000000;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

type OktaAdmin = Awaited<ReturnType<typeof startOktaEmulator>>['admin'];

/** Each person's story over the first `changeSeconds`: the changes to make in Okta, by second. */
function stories(
  ids: string[],
  changeSeconds: number,
  random: () => number,
  admin: OktaAdmin,
): Map<number, Array<() => void>> {
  const at = new Map<number, Array<() => void>>();
  const when = (from: number, to: number) => Math.min(changeSeconds - 1, Math.floor(from + random() * (to - from)));
  const plan = (second: number, change: () => void) => at.set(second, [...(at.get(second) ?? []), change]);
  ids.forEach((id, i) => {
    const share = i / ids.length;
    if (share < 0.6) {
      // Stays for the season; some work chat too, and some of those move off it and back again.
      const hired = when(0, changeSeconds * 0.6);
      plan(hired, () => admin.addUserToGroup(id, GROUPS.agents));
      if (random() < 0.5) {
        const chat = when(hired, changeSeconds * 0.8);
        plan(chat, () => admin.addUserToGroup(id, GROUPS.chat));
        if (random() < 0.5) {
          const off = when(chat + 1, changeSeconds);
          plan(off, () => admin.removeUserFromGroup(id, GROUPS.chat));
          if (random() < 0.5) plan(when(off + 1, changeSeconds), () => admin.addUserToGroup(id, GROUPS.chat));
        }
      }
    } else if (share < 0.8) {
      // Hired, then leaves: deactivated (three in four) or suspended.
      const hired = when(0, changeSeconds * 0.6);
      plan(hired, () => admin.addUserToGroup(id, GROUPS.agents));
      const stop = when(hired + 2, changeSeconds);
      if (random() < 0.75) plan(stop, () => admin.deactivateUser(id));
      else plan(stop, () => admin.suspendUser(id));
    } else {
      // Never seasonal: comes and goes in a group no season maps.
      const first = when(0, changeSeconds * 0.5);
      plan(first, () => admin.removeUserFromGroup(id, GROUPS.everyone));
      plan(when(first + 1, changeSeconds), () => admin.addUserToGroup(id, GROUPS.everyone));
    }
  });
  return at;
}

/** Sign-ins and profile updates: the bulk of a busy org's log, which no season acts on. */
function noiseEvent(template: LogEvent, userId: string, random: () => number): LogEvent {
  const types = ['user.session.start', 'user.authentication.sso', 'user.account.update_profile', 'app.oauth2.as.token'];
  return {
    ...template,
    uuid: randomUUID(),
    published: new Date().toISOString(),
    eventType: types[Math.floor(random() * types.length)]!,
    displayMessage: 'noise',
    target: [{ ...template.target.find((t) => t.type === 'User')!, id: userId }],
  };
}

async function play(plan: LoadPlan, okta: Awaited<ReturnType<typeof startOktaEmulator>>, ids: string[]) {
  const random = seededRandom(plan.seed);
  const changeSeconds = Math.max(1, plan.seconds - 10);
  const script = stories(ids, changeSeconds, random, okta.admin);

  const t0 = performance.now();
  const end = plan.seconds * 1000;
  /** Real events waiting for their (late) first delivery, and those sent once that will be sent again. */
  const due: Array<{ at: number; event: LogEvent; resend: boolean }> = [];
  const sent: string[] = [];
  let template: LogEvent | undefined;
  const result: LoadResult = {
    deliveries: 0,
    events: 0,
    realEvents: 0,
    resentEvents: 0,
    redeliveries: 0,
    offeredSeconds: 0,
    answerMs: [],
    statuses: {},
    networkErrors: 0,
    people: [],
  };
  const inFlight = new Set<Promise<void>>();

  const post = (body: string) => {
    const started = performance.now();
    const p = fetch(`${plan.receiverUrl}`, {
      method: 'POST',
      headers: { authorization: plan.secret, 'content-type': 'application/json' },
      body,
    })
      .then(async (res) => {
        await res.arrayBuffer();
        result.answerMs.push(performance.now() - started);
        result.statuses[res.status] = (result.statuses[res.status] ?? 0) + 1;
      })
      .catch(() => {
        result.networkErrors += 1;
      })
      .finally(() => inFlight.delete(p));
    inFlight.add(p);
  };

  const total = plan.seconds * plan.deliveriesPerSecond;
  for (let k = 0; k < total; k++) {
    const slot = (k * 1000) / plan.deliveriesPerSecond;
    await sleep(t0 + slot - performance.now());
    const now = performance.now() - t0;
    if (k % plan.deliveriesPerSecond === 0) {
      for (const change of script.get(k / plan.deliveriesPerSecond) ?? []) change();
      for (const event of okta.admin.clearOutbox()) {
        template ??= event;
        result.realEvents += 1;
        due.push({ at: now + random() * 3000, event, resend: false });
        if (random() < 0.5) due.push({ at: Math.min(end - 1000, now + 2000 + random() * 8000), event, resend: true });
      }
    }
    result.deliveries += 1;
    if (sent.length > 0 && random() < 0.3) {
      // Okta redelivers a whole request it thinks failed: the same eventId and events.
      result.redeliveries += 1;
      post(sent[Math.floor(random() * sent.length)]!);
      continue;
    }
    const events: LogEvent[] = [];
    due.sort((a, b) => a.at - b.at);
    while (events.length < plan.eventsPerDelivery / 2 && due.length > 0 && due[0]!.at <= now) {
      const next = due.shift()!;
      if (next.resend) result.resentEvents += 1;
      events.push(next.event);
    }
    while (template && events.length < plan.eventsPerDelivery)
      events.push(noiseEvent(template, ids[Math.floor(random() * ids.length)]!, random));
    events.sort(() => random() - 0.5);
    result.events += events.length;
    const body = JSON.stringify({
      eventType: 'com.okta.event_hook',
      eventTypeVersion: '1.0',
      cloudEventsVersion: '0.1',
      source: `${okta.url}/api/v1/eventHooks/whobench`,
      eventId: randomUUID(),
      eventTime: new Date().toISOString(),
      contentType: 'application/json',
      data: { events },
    });
    sent.push(body);
    if (sent.length > 500) sent.shift();
    post(body);
  }
  result.offeredSeconds = (performance.now() - t0) / 1000;
  if (due.length > 0) throw new Error(`${due.length} real events were never delivered (the plan is too short)`);
  await Promise.all([...inFlight]);

  result.people = peopleAsOktaHasThem(okta, ids);
  return result;
}

/** Each person's status and season groups at the end, from the emulator's own state. */
function peopleAsOktaHasThem(okta: Awaited<ReturnType<typeof startOktaEmulator>>, ids: string[]): PersonEnd[] {
  const state = okta.inspect();
  const groupNames = new Map(state.groups.map((g) => [g.id, g.profile.name]));
  const seasonal = new Set<string>([GROUPS.agents, GROUPS.chat]);
  const byUser = new Map<string, PersonEnd['seasonGroups']>();
  for (const [id, members] of Object.entries(state.memberships)) {
    const name = groupNames.get(id);
    if (!name || !seasonal.has(name)) continue;
    for (const m of members) byUser.set(m, [...(byUser.get(m) ?? []), { id, name }]);
  }
  const wanted = new Set(ids);
  return state.users
    .filter((u) => wanted.has(u.id))
    .map((u) => ({ oktaUserId: u.id, status: u.status, seasonGroups: byUser.get(u.id) ?? [] }));
}

async function main(): Promise<void> {
  const send = (m: FromLoad) => process.send!(m);
  const okta = await startOktaEmulator({
    fixture: 'retail',
    rateLimitPerMinute: 10_000_000,
    latencyMs: latencyFromArgv(),
  });
  process.on('message', (m: ToLoad) => {
    if (m.type === 'stop') void okta.close().then(() => process.exit(0));
    if (m.type !== 'go') return;
    const ids = Array.from(
      { length: m.plan.people },
      (_, i) =>
        okta.admin.createUser({
          profile: { login: `load.${i}@retail.example.com`, firstName: 'Load', lastName: `Person ${i}` },
          groupIds: [okta.admin.getGroup(GROUPS.everyone).id],
        }).id,
    );
    okta.admin.clearOutbox(); // their creation was delivered long ago
    play(m.plan, okta, ids).then(
      (result) => send({ type: 'done', result }),
      (err: unknown) => {
        console.error(`bench load: ${err instanceof Error ? err.message : String(err)}`);
        process.exit(1);
      },
    );
  });
  send({ type: 'ready', oktaUrl: okta.url, apiToken: okta.apiToken });
}

if (require.main === module) void main();
