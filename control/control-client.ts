import { callAdmin } from '../proxy/admin/admin-client.js';

/** Where the CLI finds the control plane: --control, else FAULTMESH_CONTROL, else the default listen address. */
export const controlUrlOf = (flag: string | undefined): string => flag ?? process.env.FAULTMESH_CONTROL ?? 'http://127.0.0.1:15100';
export const controlTokenOf = (flag: string | undefined): string | undefined => flag ?? process.env.FAULTMESH_CONTROL_TOKEN;

/** One call to the control plane's API: the admin API's client, since the control plane speaks that API. */
export const callControl = callAdmin;
