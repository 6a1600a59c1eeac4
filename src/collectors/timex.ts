import { NoDataError, newDesc, type CollectorDefinition, type Desc } from '../collector.js';
import { adjtimex as nativeAdjtimex, SyscallError, type Timex } from '../native.js';

const TIME_ERROR = 5;
const STA_NANO = 0x2000;
const MICRO = 1e6;
const NANO = 1e9;
/** freq, ppsfreq and stabil are parts per million in 16.16 fixed point. */
const PPM16 = 1e6 * 65536;

/** offset and jitter are in nanoseconds when the kernel runs in STA_NANO mode, else microseconds. */
const offsetUnit = (t: Timex) => ((t.status & STA_NANO) !== 0 ? NANO : MICRO);
const gaugeDesc = (name: string, help: string) => newDesc(`node_timex_${name}`, help, 'gauge');
const counterDesc = (name: string, help: string) => newDesc(`node_timex_${name}`, help, 'counter');

/** The kernel's clock discipline in node_exporter's units (seconds, ratios, hertz). */
const FIELDS: readonly [Desc, (t: Timex) => number][] = [
  [gaugeDesc('sync_status', '1 when the kernel clock is synchronised to a reliable source (adjtimex state is not TIME_ERROR).'), (t) => (t.state === TIME_ERROR ? 0 : 1)],
  [gaugeDesc('offset_seconds', 'Offset between the local clock and the reference clock.'), (t) => t.offset / offsetUnit(t)],
  [gaugeDesc('frequency_adjustment_ratio', 'Frequency correction applied to the local clock, as a ratio.'), (t) => 1 + t.freq / PPM16],
  [gaugeDesc('maxerror_seconds', 'Maximum error of the clock.'), (t) => t.maxerror / MICRO],
  [gaugeDesc('estimated_error_seconds', 'Estimated error of the clock.'), (t) => t.esterror / MICRO],
  [gaugeDesc('status', 'Clock status bits (STA_*).'), (t) => t.status],
  [gaugeDesc('loop_time_constant', 'Time constant of the phase-locked loop.'), (t) => t.constant],
  [gaugeDesc('tick_seconds', 'Time between clock ticks.'), (t) => t.tick / MICRO],
  [gaugeDesc('pps_frequency_hertz', 'PPS frequency.'), (t) => t.ppsfreq / PPM16],
  [gaugeDesc('pps_jitter_seconds', 'PPS jitter.'), (t) => t.jitter / offsetUnit(t)],
  [gaugeDesc('pps_shift_seconds', 'PPS calibration interval, as a power of two.'), (t) => t.shift],
  [gaugeDesc('pps_stability_hertz', 'PPS stability: mean of recent frequency changes.'), (t) => t.stabil / PPM16],
  [counterDesc('pps_jitter_total', 'PPS jitter-limit exceeded events.'), (t) => t.jitcnt],
  [counterDesc('pps_calibration_total', 'PPS calibration intervals.'), (t) => t.calcnt],
  [counterDesc('pps_error_total', 'PPS calibration errors.'), (t) => t.errcnt],
  [counterDesc('pps_stability_exceeded_total', 'PPS stability-limit exceeded events.'), (t) => t.stbcnt],
  [gaugeDesc('tai_offset_seconds', 'Offset of International Atomic Time from UTC.'), (t) => t.tai],
];

export interface TimexOptions {
  adjtimex?: () => Promise<Timex>;
}

export function timexDefinition(opts: TimexOptions = {}): CollectorDefinition {
  const read = opts.adjtimex ?? nativeAdjtimex;
  return {
    name: 'timex',
    defaultEnabled: true,
    create() {
      return {
        async collect(_ctx, out) {
          let t: Timex;
          try {
            t = await read();
          } catch (err) {
            // As node_exporter: not allowed here (seccomp, some sandboxes) is "no data".
            if (err instanceof SyscallError && err.code === 'EPERM') throw new NoDataError(`adjtimex: ${err.message}`);
            throw err;
          }
          for (const [desc, value] of FIELDS) out.add(desc, value(t));
        },
      };
    },
  };
}
