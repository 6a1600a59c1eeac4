import { NoDataError, family, type CollectorDefinition, type MetricFamily } from '../collector.js';
import { adjtimex as nativeAdjtimex, SyscallError, type Timex } from '../native.js';

const TIME_ERROR = 5;
const STA_NANO = 0x2000;
const MICRO = 1e6;
const NANO = 1e9;
/** freq, ppsfreq and stabil are parts per million in 16.16 fixed point. */
const PPM16 = 1e6 * 65536;

/** The kernel's clock discipline in node_exporter's units (seconds, ratios, hertz). */
export function timexFamilies(t: Timex): MetricFamily[] {
  const div = (t.status & STA_NANO) !== 0 ? NANO : MICRO;
  const g = (name: string, help: string, value: number) => family(`node_timex_${name}`, help, 'gauge', [{ labels: {}, value }]);
  const c = (name: string, help: string, value: number) => family(`node_timex_${name}`, help, 'counter', [{ labels: {}, value }]);
  return [
    g('sync_status', '1 when the kernel clock is synchronised to a reliable source (adjtimex state is not TIME_ERROR).', t.state === TIME_ERROR ? 0 : 1),
    g('offset_seconds', 'Offset between the local clock and the reference clock.', t.offset / div),
    g('frequency_adjustment_ratio', 'Frequency correction applied to the local clock, as a ratio.', 1 + t.freq / PPM16),
    g('maxerror_seconds', 'Maximum error of the clock.', t.maxerror / MICRO),
    g('estimated_error_seconds', 'Estimated error of the clock.', t.esterror / MICRO),
    g('status', 'Clock status bits (STA_*).', t.status),
    g('loop_time_constant', 'Time constant of the phase-locked loop.', t.constant),
    g('tick_seconds', 'Time between clock ticks.', t.tick / MICRO),
    g('pps_frequency_hertz', 'PPS frequency.', t.ppsfreq / PPM16),
    g('pps_jitter_seconds', 'PPS jitter.', t.jitter / div),
    g('pps_shift_seconds', 'PPS calibration interval, as a power of two.', t.shift),
    g('pps_stability_hertz', 'PPS stability: mean of recent frequency changes.', t.stabil / PPM16),
    c('pps_jitter_total', 'PPS jitter-limit exceeded events.', t.jitcnt),
    c('pps_calibration_total', 'PPS calibration intervals.', t.calcnt),
    c('pps_error_total', 'PPS calibration errors.', t.errcnt),
    c('pps_stability_exceeded_total', 'PPS stability-limit exceeded events.', t.stbcnt),
    g('tai_offset_seconds', 'Offset of International Atomic Time from UTC.', t.tai),
  ];
}

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
        async collect(): Promise<MetricFamily[]> {
          try {
            return timexFamilies(await read());
          } catch (err) {
            // As node_exporter: not allowed here (seccomp, some sandboxes) is "no data".
            if (err instanceof SyscallError && err.code === 'EPERM') throw new NoDataError(`adjtimex: ${err.message}`);
            throw err;
          }
        },
      };
    },
  };
}
