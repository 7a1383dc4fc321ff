import { bandwidthToxic } from './bandwidth.js';
import { latencyToxic } from './latency.js';
import { limitDataToxic } from './limit-data.js';
import { resetPeerToxic } from './reset-peer.js';
import { slicerToxic } from './slicer.js';
import { slowCloseToxic } from './slow-close.js';
import { timeoutToxic } from './timeout.js';
/** Every toxic kind, by its Toxiproxy type name, in the order Toxiproxy's README lists them. */
export const TOXIC_KINDS = new Map([latencyToxic, bandwidthToxic, slowCloseToxic, timeoutToxic, resetPeerToxic, slicerToxic, limitDataToxic].map((k) => [k.type, k]));
//# sourceMappingURL=index.js.map