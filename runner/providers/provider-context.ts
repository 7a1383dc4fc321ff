import type { FaultLedger } from '../fault-ledger.js';
import type { PythonLogs } from '../python/call-python.js';
import type { PythonEnv } from '../python/python-env.js';

/** What most providers use: only the abort signal. */
export type SignalOnly = Pick<ProviderContext, 'signal'>;

/** What a provider may use while it runs: the run's abort signal, the ledger faults go through, and for Python the interpreter and the experiment's values. */
export interface ProviderContext {
  /** Aborted when a safeguard fails or the run is interrupted; providers stop promptly. */
  readonly signal: AbortSignal;
  readonly ledger: FaultLedger;
  /** The activity's name, for fault ids and messages. */
  readonly activity: string;
  /** The interpreter, configuration and secrets python providers get; absent, FAULTMESH_PYTHON or python3 with none. */
  readonly python?: PythonEnv;
  /** The secret scopes the activity declares (its `secrets`), for a python provider that declares none itself. */
  readonly secretScopes?: readonly string[];
  /** Told what a python provider printed, so its record keeps it. */
  readonly onLogs?: (logs: PythonLogs) => void;
}
