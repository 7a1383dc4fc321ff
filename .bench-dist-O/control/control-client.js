import { callAdmin } from '../proxy/admin/admin-client.js';
// Where the CLI finds the control plane, and its token, are flags: cli/control-target.ts reads and checks them.
/** One call to the control plane's API: the admin API's client, since the control plane speaks that API. */
export const callControl = callAdmin;
//# sourceMappingURL=control-client.js.map