// Public surface of the Okta emulator (tests, benches, the demo). It shares no code with the Okta client.
export { startOktaEmulator, EMULATOR_OKTA_TOKEN } from './server';
export type { OktaEmulator, OktaEmulatorOptions, OktaAdmin, OktaEmulatorInspection, ApiRequestRecord } from './server';
export type { DeliverOptions, DeliveryReport, DeliveryRecord, VerificationResult } from './hook-sender';
export { EVENT_HOOK_ELIGIBLE_TYPES } from './event-hook-model';
export type { EventHookJson } from './event-hook-model';
export type { FaultSpec } from './faults';
export type { OktaFixture } from './fixture';
export type { HookConfig, HookDelivery, LogEvent, EmuUser, EmuGroup, CreateUserInput, CreateGroupInput } from './types';
