import type { CollectorDefinition } from '../collector.js';
import { filesystemDefinition } from './filesystem.js';
import { loadavg } from './loadavg.js';
import { meminfo } from './meminfo.js';
import { os } from './os.js';
import { time } from './time.js';
import { timexDefinition } from './timex.js';
import { uname } from './uname.js';

/** Every collector, in one table: the CLI makes its --[no-]collector.<name> flags from it. */
export const collectorDefinitions: readonly CollectorDefinition[] = [
  filesystemDefinition(),
  loadavg,
  meminfo,
  os,
  time,
  timexDefinition(),
  uname,
];
