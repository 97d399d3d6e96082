import type { VendorModule } from '../core/vendor-runtime.js';
import { c1 } from './c1/index.js';
import { shodai } from './shodai/index.js';
import { superoffice } from './superoffice/index.js';

/** Every vendor the mock emulates: the one list. Adding one = adding a folder and a line here. */
export const vendors: readonly VendorModule[] = [c1, shodai, superoffice];
