// The entry of a cluster worker (`faultmesh proxy --workers N`): the primary
// forks this file, not the CLI, so a worker loads the data plane and not
// the CLI, the admin API or the control-plane client.
import { runWorker } from './worker.js';
runWorker();
//# sourceMappingURL=worker-main.js.map