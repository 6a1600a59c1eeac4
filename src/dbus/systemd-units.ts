import { compileRegexp } from '../config.js';
import { expectArray, expectString, expectStruct } from './reply.js';

/** The fields of org.freedesktop.systemd1.Manager.ListUnits' a(ssssssouso) the collector uses. */
export interface SystemdUnit {
  name: string;
  loadState: string;
  activeState: string;
  /** The unit's object path, where its Unit/Service/Socket/Timer properties live. */
  path: string;
}

/** The states node_systemd_unit_state reports for every unit (and node_systemd_units always lists). */
export const UNIT_STATES = ['active', 'activating', 'deactivating', 'inactive', 'failed'] as const;

/** First systemd version with the Manager's SystemState and the timers' LastTriggerUSec. */
export const MIN_VERSION_SYSTEM_STATE = 212;

export function parseListUnits(reply: unknown): SystemdUnit[] {
  return expectArray(reply, 'ListUnits reply').map((entry, i) => {
    const what = `ListUnits reply, unit ${i}`;
    const s = expectStruct(entry, 7, what);
    return {
      name: expectString(s[0], `${what}, name`),
      loadState: expectString(s[2], `${what}, load state`),
      activeState: expectString(s[3], `${what}, active state`),
      path: expectString(s[6], `${what}, object path`),
    };
  });
}

export interface UnitFilter {
  include: RegExp;
  exclude: RegExp;
}

/** Upstream anchors both patterns: a unit's whole name must match. */
export function compileUnitFilter(include: string, exclude: string, includeFlag: string, excludeFlag: string): UnitFilter {
  // Compiled alone first so a bad pattern is reported as the user wrote it.
  compileRegexp(include, includeFlag);
  compileRegexp(exclude, excludeFlag);
  return {
    include: compileRegexp(`^(?:${include})$`, includeFlag),
    exclude: compileRegexp(`^(?:${exclude})$`, excludeFlag),
  };
}

/** Units the per-unit metrics cover: loaded, matching include, not matching exclude. */
export function filterUnits(units: readonly SystemdUnit[], filter: UnitFilter): SystemdUnit[] {
  return units.filter((u) => u.loadState === 'loaded' && filter.include.test(u.name) && !filter.exclude.test(u.name));
}

export interface UnitStateCount {
  state: string;
  count: number;
}

/**
 * Units counted by active state (node_systemd_units): the five known states always present,
 * any other state systemd reports (e.g. "reloading") added as it comes.
 */
export function countUnitStates(units: readonly SystemdUnit[]): UnitStateCount[] {
  const counts = new Map<string, number>(UNIT_STATES.map((s) => [s, 0]));
  for (const u of units) counts.set(u.activeState, (counts.get(u.activeState) ?? 0) + 1);
  return [...counts].map(([state, count]) => ({ state, count }));
}

/** node_systemd_unit_state's values for a unit: 1 for its current state of the five, 0 for the others. */
export function unitStateValues(unit: SystemdUnit): { state: string; value: number }[] {
  return UNIT_STATES.map((state) => ({ state, value: state === unit.activeState ? 1 : 0 }));
}

/** The D-Bus interface holding a unit's `Type` property, by unit suffix; undefined: no type label value. */
export function unitTypeInterface(name: string): 'Service' | 'Mount' | undefined {
  if (name.endsWith('.service')) return 'Service';
  if (name.endsWith('.mount')) return 'Mount';
  return undefined;
}

/**
 * The Manager's Version string ("252.33-1~deb12u1") → the number upstream compares and reports
 * (first run of 3+ digits, with an optional fraction) and the full string as label; a string
 * without such a number reads as version 0 with an empty label, as upstream's.
 */
export function parseSystemdVersion(raw: string): { value: number; label: string } {
  const m = /[0-9]{3,}(\.[0-9]+)?/.exec(raw);
  if (m === null) return { value: 0, label: '' };
  return { value: Number(m[0]), label: raw };
}

/** The Manager's Virtualization property as upstream labels it: empty means bare metal. */
export function virtualizationLabel(raw: string | undefined): string {
  if (raw === undefined) return 'unknown';
  return raw === '' ? 'none' : raw;
}

/** systemd reports "no limit"/"unknown" for a uint64 as 2^64-1 (arriving rounded to 2^64). */
export function isUint64Max(v: number): boolean {
  return v >= 2 ** 64;
}
