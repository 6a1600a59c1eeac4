import { ParseError } from '../procfs/parse-error.js';

export interface ThermalZone {
  type: string;
  /** Millidegrees Celsius; 0 when unreadable, as procfs leaves it. */
  temp: number;
}

export interface CoolingDevice {
  type: string;
  curState: number;
  maxState: number;
}

const INT64 = /^[+-]?\d+$/;

/**
 * A thermal_zone<N> from its type and temp texts (undefined = unreadable). procfs collects read
 * errors of a zone without failing and node_exporter ignores them, so a zone always yields
 * a value: an unreadable or malformed temp reads as 0.
 */
export function parseThermalZone(type: string | undefined, temp: string | undefined): ThermalZone {
  const t = temp?.trim() ?? '';
  return { type: type?.trim() ?? '', temp: INT64.test(t) ? Number(t) : 0 };
}

/** A cooling_device<N>: all three files are required and the states are integers. */
export function parseCoolingDevice(type: string, maxState: string, curState: string): CoolingDevice {
  const int = (text: string, what: string): number => {
    const t = text.trim();
    if (!INT64.test(t)) throw new ParseError(`invalid ${what} ${JSON.stringify(t)}`, t, 1);
    return Number(t);
  };
  return { type: type.trim(), maxState: int(maxState, 'max_state'), curState: int(curState, 'cur_state') };
}
