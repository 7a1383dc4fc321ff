import { abortFault } from './abort.js';
import { delayFault } from './delay.js';
import { hangFault } from './hang.js';
import { resetFault } from './reset.js';
import { throttleFault } from './throttle.js';
/**
 * Every fault kind, in the order a rule's actions wrap each other (outermost
 * first): a delay comes before the abort, reset or hang that ends the
 * request, and throttle sits next to the upstream's body.
 */
export const FAULT_KINDS = [delayFault, abortFault, resetFault, hangFault, throttleFault];
//# sourceMappingURL=index.js.map